/** The app's API: every answer, network failures and timeouts included, becomes {status, ok, json, headers, network}. */
import { REQUEST_TIMEOUT_MS, state } from './state.js';

export function api(method, path, options) {
  options = options || {};
  var headers = { 'Accept': 'application/json', 'Accept-Language': state.lang === 'en' ? 'en' : 'zh-CN' };
  var token = options.token === undefined ? state.token : options.token;
  if (token) { headers.Authorization = 'Bearer ' + token; }
  var init = { method: method, headers: headers, cache: 'no-store', credentials: 'omit' };
  if (options.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(options.body);
  }
  var controller = window.AbortController ? new AbortController() : null;
  var timer = null;
  if (controller) {
    init.signal = controller.signal;
    timer = setTimeout(function () { controller.abort(); }, REQUEST_TIMEOUT_MS);
  }
  return fetch(path, init).then(function (response) {
    return response.text().then(function (text) {
      var json = null;
      if (text) { try { json = JSON.parse(text); } catch (e) { json = null; } }
      return { status: response.status, ok: response.ok, json: json, headers: response.headers, network: false };
    });
  }, function (error) {
    return { status: 0, ok: false, json: null, headers: null, network: true, error: error };
  }).then(function (result) {
    if (timer) { clearTimeout(timer); }
    return result;
  });
}
