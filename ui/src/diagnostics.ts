// The footer's log location and the "Copy diagnostics" action: the report goes to the
// clipboard, or, when the webview refuses (WebKitGTK may), into a dialog to copy by hand.

import type { AppInfo } from "./dto";
import { h } from "./dom";
import * as ipc from "./ipc";
import { normalizeError } from "./ipc";

/** The log directory and the "Copy diagnostics" button, for the footer. */
export function diagnosticsFooter(info: AppInfo): HTMLElement {
  const status = h("span", { class: "small", role: "status", "aria-live": "polite" });
  const button = h("button", { type: "button", id: "copy-diagnostics", class: "quiet" }, "Copy diagnostics");
  button.addEventListener("click", () => void copyDiagnostics(button, status));
  return h(
    "div",
    { class: "diagnostics" },
    info.logDir ? h("span", { class: "small", id: "log-dir" }, "Logs: ", h("code", {}, info.logDir)) : null,
    button,
    status,
  );
}

async function copyDiagnostics(button: HTMLButtonElement, status: HTMLElement): Promise<void> {
  button.disabled = true;
  status.textContent = "";
  try {
    const { report } = await ipc.diagnostics();
    try {
      await navigator.clipboard.writeText(report);
      status.textContent = "Diagnostics copied.";
    } catch {
      showReport(report, button);
    }
  } catch (raw) {
    status.textContent = `Could not collect diagnostics: ${normalizeError(raw).message}`;
  } finally {
    button.disabled = false;
  }
}

/** A modal dialog with the report selected in a read-only text area; focus returns to `opener`. */
function showReport(report: string, opener: HTMLElement): void {
  const text = h("textarea", {
    id: "diagnostics-report",
    readonly: true,
    rows: "16",
    spellcheck: "false",
    "aria-label": "Diagnostics report",
  });
  text.value = report;
  const close = h("button", { type: "button" }, "Close");
  const dialog = h(
    "dialog",
    { class: "diagnostics-dialog", "aria-labelledby": "diagnostics-title" },
    h("h2", { id: "diagnostics-title" }, "Diagnostics"),
    h("p", { class: "small" }, "The clipboard is not available here: the report is selected, press Ctrl+C to copy it."),
    text,
    h("div", { class: "dialog-actions" }, close),
  );
  close.addEventListener("click", () => dialog.close());
  dialog.addEventListener("close", () => {
    dialog.remove();
    opener.focus();
  });
  document.body.appendChild(dialog);
  dialog.showModal();
  text.focus();
  text.select();
}
