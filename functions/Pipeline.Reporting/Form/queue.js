/**
 * The reports waiting on the device. A submit is queued in localStorage (with its submissionId) BEFORE it
 * is sent, and leaves the queue only when the server answers it (2xx, or a 4xx that names what is wrong).
 * Network failures and 5xx keep it queued; it is retried on 'online', periodically and on the next page
 * load. Replaying a submissionId is harmless: the server returns the stored outcome.
 */
import { api } from './api.js';
import { loadDay, renderCurrent } from './day.js';
import { fillForm } from './fields.js';
import { $, clearConnectionStatus, formatTime, load, save, setStatus } from './helpers.js';
import { clearErrors, setSubmitting, showErrors, showResult } from './messages.js';
import { RETRY_MS, state, STORE } from './state.js';
import { t } from './text.js';

export function loadQueue() {
  var q = load(STORE.queue, []);
  return Array.isArray(q) ? q : [];
}

export function saveQueue(queue) { return save(STORE.queue, queue); }

export function removeFromQueue(id) {
  saveQueue(loadQueue().filter(function (item) { return item.submissionId !== id; }));
}

export function updateQueued(id, change) {
  saveQueue(loadQueue().map(function (item) {
    if (item.submissionId === id) { Object.keys(change).forEach(function (k) { item[k] = change[k]; }); }
    return item;
  }));
}

export function renderPending() {
  var queue = loadQueue();
  $('pending-count').textContent = String(queue.length);
  $('pending-section').hidden = queue.length === 0;
  var list = $('pending-list');
  list.textContent = '';
  queue.forEach(function (item) {
    var li = document.createElement('li');
    li.setAttribute('data-submission-id', item.submissionId);
    li.textContent = (item.unitLabel ? item.unitLabel + ' · ' : '') + t('pendingItem', { date: item.body.reportDate, time: formatTime(item.queuedAt) });
    var why = state.lastWhy[item.submissionId];
    if (why) {
      var span = document.createElement('span');
      span.className = 'why';
      span.textContent = why;
      li.appendChild(span);
    }
    list.appendChild(li);
  });
}

export function scheduleRetry(ms) {
  if (state.retryTimer) { clearTimeout(state.retryTimer); }
  state.retryTimer = null;
  if (!loadQueue().length) { return; }
  state.retryTimer = setTimeout(function () { state.retryTimer = null; flushQueue(); }, ms || RETRY_MS);
}

/** Sends one queued report; answers 'done' (left the queue) or 'wait' (still queued). */
export function sendQueued(item) {
  var token = item.token || state.token;
  return api('POST', '/api/reports', { body: item.body, token: token }).then(function (r) {
    if (r.status === 401 && state.token && state.token !== token) {
      // The token it was made with no longer works; the current one may (the server still checks the unit).
      updateQueued(item.submissionId, { token: state.token });
      return api('POST', '/api/reports', { body: item.body, token: state.token });
    }
    return r;
  }).then(function (r) {
    if (r.network) {
      state.lastWhy[item.submissionId] = t('pendingWhyNetwork');
      return { kind: 'wait' };
    }
    if (r.status >= 200 && r.status < 300) {
      removeFromQueue(item.submissionId);
      delete state.lastWhy[item.submissionId];
      onAccepted(item, r.json || {});
      return { kind: 'done' };
    }
    if (r.status === 401) {
      state.lastWhy[item.submissionId] = t('pendingWhyToken');
      setStatus(t('tokenRejectedQueued'), 'error');
      return { kind: 'wait' };
    }
    if (r.status === 408 || r.status === 429 || r.status >= 500) {
      state.lastWhy[item.submissionId] = t('pendingWhyServer', { status: r.status });
      var retryAfter = r.headers && parseInt(r.headers.get('Retry-After'), 10);
      return { kind: 'wait', retryMs: retryAfter > 0 ? Math.min(retryAfter * 1000, 120000) : null };
    }
    // Any other 4xx: the server has looked at it and said what is wrong; resending cannot help.
    removeFromQueue(item.submissionId);
    delete state.lastWhy[item.submissionId];
    onRefused(item, r);
    return { kind: 'done' };
  });
}

export function flushQueue() {
  if (state.flushing) { return Promise.resolve(); }
  state.flushing = true;
  var queue = loadQueue();
  var waitMs = null;
  var stillWaiting = false;
  // Wait until the page has loaded who the reporter is: an 'online' or 'visibilitychange' event can fire
  // during start-up, and a result shown before then would be lost to the page's own rendering.
  var chain = (state.started || Promise.resolve()).then(null, function () {});
  queue.forEach(function (item) {
    chain = chain.then(function () {
      if (stillWaiting) { return; }   // keep order: a later correction must not overtake an earlier one
      return sendQueued(item).then(function (outcome) {
        if (outcome.kind === 'wait') {
          stillWaiting = true;
          waitMs = outcome.retryMs || null;
          if (item.submissionId === state.activeId) {
            state.activeId = null;
            setStatus(t('queued'), 'warn', 'connection');
          }
        }
      });
    });
  });
  return chain.then(function () {
    state.flushing = false;
    renderPending();
    if (state.activeId) {
      // The form's own submit is still queued (an older one ahead of it is waiting, or it was never
      // reached): tell the reporter it is kept on the device.
      if (loadQueue().some(function (i) { return i.submissionId === state.activeId; })) { setStatus(t('queued'), 'warn', 'connection'); }
      state.activeId = null;
    }
    // Everything waiting has been sent: "cannot reach the server" is no longer true.
    if (!loadQueue().length) { clearConnectionStatus(); }
    setSubmitting(false);
    scheduleRetry(waitMs);
  }, function () {
    state.flushing = false;
    renderPending();
    setSubmitting(false);
    scheduleRetry();
  });
}

export function onAccepted(item, body) {
  var isActive = item.submissionId === state.activeId;
  if (isActive) { state.activeId = null; }
  var sameView = state.me && item.body.unitCode === state.me.scope && item.body.reportDate === state.date;
  if (isActive || sameView) {
    clearErrors();
    $('general-errors').hidden = true;
    if (isActive) { setStatus(''); }
    state.current = {
      reportDate: body.reportDate, revision: body.revision, receipt: body.receipt,
      values: item.body.values, notes: item.body.notes, reporter: item.body.reporter
    };
    renderCurrent();
  }
  showResult(body, item.unitLabel);
}

export function onRefused(item, r) {
  var problem = r.json || {};
  var errors = problem.errors || {};
  if (!problem.errors) {
    var msg = r.status === 403 ? (problem.detail || t('forbidden')) : (problem.detail || problem.title || ('HTTP ' + r.status));
    errors = { general: [msg] };
  }
  var isActive = item.submissionId === state.activeId;
  if (isActive) {
    state.activeId = null;
    setStatus('');
    showErrors(errors, problem.title ? t('fixErrors') : null);
    return;
  }
  // A report sent from the queue later on: put it back in the form if the form shows the same unit and
  // nothing else has been typed there, so that nothing the reporter entered is lost.
  var canRestore = state.me && item.body.unitCode === state.me.scope && !state.dirty && state.catalogue;
  if (canRestore) {
    var restore = function () {
      fillForm(item.body.values, item.body.notes, item.body.reporter);
      showErrors(errors, t('queuedRejected', { date: item.body.reportDate }));
    };
    if (item.body.reportDate !== state.date) {
      state.date = item.body.reportDate;
      $('report-date').value = state.date;
      loadDay(true).then(restore);
    } else {
      restore();
    }
  } else {
    var flat = [];
    Object.keys(errors).forEach(function (k) { [].concat(errors[k]).forEach(function (m) { flat.push((k === 'general' ? '' : k + ': ') + m); }); });
    showErrors({ general: flat }, t('queuedRejectedElsewhere', { date: item.body.reportDate }));
  }
}
