/**
 * A reporter's enrolment link, /api/form#enrol=CODE (spec section 7): the one-time code, never the token,
 * is exchanged for the token once (POST /api/enrol), the token is kept as a typed one is, and the
 * fragment leaves the address bar so that the code is not left in the history or shared on.
 */
import { api } from './api.js';
import { remove, save, setStatus } from './helpers.js';
import { state, STORE } from './state.js';
import { t } from './text.js';

function forgetFragment() {
  if (window.history && window.history.replaceState) {
    window.history.replaceState(null, '', window.location.pathname + window.location.search);
  }
}

/** Answers null (no link), { enrolled: true }, or { failed: message } (nothing was signed in). */
export function enrolFromLink() {
  var match = /^#enrol=([A-Za-z0-9_-]{1,128})$/.exec(window.location.hash);
  if (!match) { return Promise.resolve(null); }
  setStatus(t('enrolling'));
  return api('POST', '/api/enrol', { body: { code: match[1] }, token: '' }).then(function (r) {
    if (r.network || r.status >= 500) {
      // The code was not used up: keep it in the address bar, so that a reload tries again.
      return { failed: t('enrolUnreachable') };
    }
    forgetFragment();
    if (r.ok && r.json && r.json.token) {
      remove(STORE.me);
      state.me = null;
      state.token = r.json.token;
      save(STORE.token, state.token);
      return { enrolled: true };
    }
    return { failed: r.status === 410 ? t('enrolGone') : ((r.json && (r.json.detail || r.json.title)) || 'HTTP ' + r.status) };
  });
}
