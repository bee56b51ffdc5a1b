// Sends a file as the raw request body with XMLHttpRequest, so the page can show how much of a
// large file has gone up (fetch() has no upload progress). The same session cookie, CSRF header
// and errors (ApiError from problem+json) as api.ts; a 401 sends the browser to the login page
// the way every other call does.

import { api, ApiError, type Problem } from './api';
import { currentUser } from './session';

export interface UploadProgress {
  /** Bytes sent so far. */
  loaded: number;
  /** Bytes in all (the file's size). */
  total: number;
  /** The body has been sent; the server is working on it. */
  sent: boolean;
}

export interface Upload<T> {
  /** Resolves to the JSON answer; rejects with ApiError (code "upload.aborted" when cancelled). */
  done: Promise<T>;
  /** Stops the upload (nothing is written when the body did not arrive whole). */
  abort(): void;
}

/**
 * POSTs `body` to `/api/v1${path}` with its content type; `onProgress` as bytes go up. A File's
 * name goes along in Content-Disposition (RFC 6266), so the server can name the upload.
 */
export function upload<T>(path: string, body: Blob, contentType: string, onProgress: (p: UploadProgress) => void = () => {}): Upload<T> {
  const xhr = new XMLHttpRequest();
  const done = new Promise<T>((resolve, reject) => {
    xhr.open('POST', `/api/v1${path}`);
    xhr.withCredentials = true;
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.setRequestHeader('Content-Type', contentType);
    if (body instanceof File && body.name) xhr.setRequestHeader('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(body.name)}`);
    // Cookie sessions carry the CSRF token on writes, as api.ts does.
    const csrf = currentUser()?.csrf_token;
    if (csrf) xhr.setRequestHeader('X-CSRF-Token', csrf);
    xhr.upload.onprogress = (e) => onProgress({ loaded: e.loaded, total: e.lengthComputable ? e.total : body.size, sent: false });
    xhr.upload.onload = () => onProgress({ loaded: body.size, total: body.size, sent: true });
    xhr.onerror = () => reject(new ApiError(0, 'network', ''));
    xhr.onabort = () => reject(new ApiError(0, 'upload.aborted', ''));
    xhr.onload = () => {
      const type = xhr.getResponseHeader('content-type') ?? '';
      let data: unknown;
      if (type.includes('json')) {
        try {
          data = JSON.parse(xhr.responseText);
        } catch {
          data = undefined;
        }
      }
      if (xhr.status < 200 || xhr.status >= 300) {
        const p = (data ?? {}) as Problem;
        const err = new ApiError(xhr.status, p.code ?? `http_${xhr.status}`, p.detail ?? p.title ?? xhr.statusText, p.request_id, p);
        // The session ran out while the file went up: ask the server who we are, which leads
        // to the login page through api.ts's hooks.
        if (xhr.status === 401) void api.me().catch(() => {});
        return reject(err);
      }
      if (data === undefined) return reject(new ApiError(xhr.status, 'bad_response', ''));
      resolve(data as T);
    };
    xhr.send(body);
  });
  return { done, abort: () => xhr.abort() };
}
