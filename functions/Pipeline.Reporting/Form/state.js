/** What the page knows right now, and the names of what it keeps on the device (localStorage). */
export const STORE = {
  token: 'pipeline.form.token',
  lang: 'pipeline.form.lang',
  queue: 'pipeline.form.pending',
  me: 'pipeline.form.me',
  catalogue: 'pipeline.form.catalogue',
  shape: 'pipeline.form.shape',
  reporter: 'pipeline.form.reporter',
  draftPrefix: 'pipeline.form.draft.'
};
export const RETRY_MS = 15000;
export const REQUEST_TIMEOUT_MS = 20000;

export const state = {
  lang: 'zh',
  token: '',
  me: null,
  meFromCache: false,
  catalogue: null,
  shape: null,         // GET /api/report-shape: the cross-field rules and their messages
  date: null,
  yesterday: null,     // report of date - 1, or null
  current: null,       // report of date, or null
  dirty: false,
  flushing: false,
  activeId: null,      // submissionId of the submit made from the form right now
  lastWhy: {},         // submissionId -> why it is still waiting
  retryTimer: null,
  draftTimer: null,
  started: null        // the promise of the page's start-up (who the reporter is, the catalogue, the day)
};
