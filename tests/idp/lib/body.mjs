// Reads a small application/x-www-form-urlencoded request body.

/** Thrown when a body is too large or not form-encoded; `status` is the HTTP status to answer. */
export class BodyError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/** Default limit, bytes: plenty for our forms, small enough to refuse junk. */
export const FORM_LIMIT = 16 * 1024;

/** Reads `req` (a node IncomingMessage) as a UTF-8 string, refusing more than `limit` bytes. */
export async function readText(req, limit = FORM_LIMIT) {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    throw new BodyError(413, 'request body too large');
  }
  const chunks = [];
  let received = 0;
  for await (const chunk of req) {
    received += chunk.length;
    if (received > limit) throw new BodyError(413, 'request body too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, received).toString('utf8');
}

/** True when the request says it carries a form body. */
export function isForm(req) {
  const type = String(req.headers['content-type'] || '').split(';')[0].trim().toLowerCase();
  return type === 'application/x-www-form-urlencoded';
}

/** Reads a form body into URLSearchParams (empty when there is no body). */
export async function readForm(req, limit = FORM_LIMIT) {
  if (req.headers['content-type'] && !isForm(req)) {
    throw new BodyError(415, 'expected application/x-www-form-urlencoded');
  }
  return new URLSearchParams(await readText(req, limit));
}
