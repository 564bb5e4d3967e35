/** The report form's submit: check, queue on the device, then send. */
import { collect } from './checks.js';
import { draftKey } from './day.js';
import { readTexts } from './fields.js';
import { $, newSubmissionId, remove, save, setStatus, unitName } from './helpers.js';
import { clearErrors, setSubmitting, showErrors } from './messages.js';
import { flushQueue, loadQueue, renderPending, saveQueue, sendQueued } from './queue.js';
import { state, STORE } from './state.js';
import { t } from './text.js';

export function submitReport(event) {
  event.preventDefault();
  if (!state.me || !state.catalogue || $('submit').disabled) { return; }
  setStatus('');
  $('result').hidden = true;
  var collected = collect();
  if (Object.keys(collected.errors).length) {
    showErrors(collected.errors, t('errLocal'), 'client');
    return;
  }
  clearErrors();
  $('general-errors').hidden = true;
  var texts = readTexts();
  var item = {
    submissionId: newSubmissionId(),
    token: state.token,
    unitLabel: unitName(),
    queuedAt: new Date().toISOString(),
    body: {
      unitCode: state.me.scope,
      reportDate: state.date,
      submissionId: null,
      values: collected.values,
      notes: texts.notes,
      reporter: { name: texts.name.trim(), phone: texts.phone.trim() }
    }
  };
  item.body.submissionId = item.submissionId;
  save(STORE.reporter, item.body.reporter);
  // Kept on the device before anything goes on the wire.
  var queue = loadQueue();
  queue.push(item);
  if (!saveQueue(queue)) { setStatus(t('storageFull'), 'warn'); }
  remove(draftKey());
  state.dirty = false;
  state.activeId = item.submissionId;
  setSubmitting(true);
  renderPending();
  if (!loadQueue().some(function (i) { return i.submissionId === item.submissionId; })) {
    // Storage refused it: send it directly, once, without the queue.
    sendQueued(item).then(function (outcome) {
      if (outcome.kind === 'wait') { setStatus(t('storageFull'), 'error'); }
      setSubmitting(false);
      renderPending();
    });
    return;
  }
  if (state.flushing) {
    // Another flush is running; it will not pick this one up, so run one more right after.
    var wait = function () { if (state.flushing) { setTimeout(wait, 200); } else { flushQueue(); } };
    wait();
  } else {
    flushQueue();
  }
}
