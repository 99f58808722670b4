// votecloud web app: upload -> columns -> style -> preview -> downloads.
// Every text from the upload is set with textContent, never as HTML.
'use strict';
(function () {
  const $ = (id) => document.getElementById(id);
  let upload = null;
  let cloud = null;
  let timer = null;
  let generation = 0;
  let font = null;
  let styles = {};

  function say(text) { $('status').textContent = text; }
  // Words the image shows with a box for a character no font on the
  // server has: the same words as the no-JS cloud page (pages.c).
  function undrawableNote(list) {
    if (!list.length) { return ''; }
    const names = list.map(function (w) { return '\u201C' + w.text + '\u201D (' + w.character + ')'; });
    return ' ' + list.length + (list.length === 1 ? ' word is' : ' words are') +
      ' drawn with a box in place of a character no font on this server has: ' + names.join(', ') +
      '. The table and the alt text give the words as written. Ask whoever runs this server to install a' +
      ' font that covers the character, or choose a house font that does.';
  }
  function fail(text) {
    const e = $('error');
    e.textContent = text;
    e.hidden = !text;
  }

  async function api(path, body, type) {
    const headers = { 'X-Votecloud': '1' };
    if (type) { headers['Content-Type'] = type; }
    const r = await fetch(path, { method: 'POST', headers: headers, body: body });
    let j = {};
    try { j = await r.json(); } catch (e) { j = { error: 'the server answered ' + r.status }; }
    if (!r.ok) { throw new Error(j.error || ('the server answered ' + r.status)); }
    return j;
  }

  async function sendFile(file) {
    fail('');
    say('Reading ' + file.name + '…');
    const fd = new FormData();
    fd.append('file', file, file.name);
    try {
      upload = await api('/api/uploads', fd);
    } catch (e) {
      say('');
      fail(e.message);
      return;
    }
    showColumns();
    showEventColumns();
    say('Read ' + upload.respondents + ' respondents.');
    await words();
    render();
  }

  function showColumns() {
    $('file-summary').textContent = upload.respondents + ' respondents; ' +
      upload.columns.length + ' columns (' + upload.layout + ', ' + upload.encoding + ').';
    const body = document.querySelector('#columns tbody');
    body.textContent = '';
    for (const c of upload.columns) {
      const tr = document.createElement('tr');
      const td0 = document.createElement('td');
      const box = document.createElement('input');
      box.type = 'checkbox';
      box.id = 'col-' + c.index;
      box.value = '#' + c.index; // always the column number, whatever the headers say
      box.dataset.role = c.role;
      box.checked = !!c.suggested;
      box.addEventListener('change', function () { words(); schedule(); });
      td0.appendChild(box);
      const th = document.createElement('th');
      th.scope = 'row';
      const label = document.createElement('label');
      label.htmlFor = box.id;
      label.textContent = c.header;
      th.appendChild(label);
      const role = document.createElement('td');
      role.textContent = c.role;
      const distinct = document.createElement('td');
      distinct.textContent = String(c.distinct);
      const top = document.createElement('td');
      top.textContent = c.top.map((t) => t[0] + ' (' + t[1] + ')').join(', ');
      tr.append(td0, th, role, distinct, top);
      body.appendChild(tr);
    }
    for (const id of ['step-columns', 'step-words', 'step-style', 'step-preview']) { $(id).hidden = false; }
  }

  function columnsOnly() {
    const o = options();
    const c = { columns: o.columns };
    if (o['free-text-columns']) { c['free-text-columns'] = o['free-text-columns']; }
    return c;
  }

  function cell(tr, text) {
    const td = document.createElement('td');
    td.textContent = text;
    tr.appendChild(td);
    return td;
  }

  function opButton(td, op, text, label) {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'small';
    b.textContent = label;
    const hidden = document.createElement('span');
    hidden.className = 'visually-hidden';
    hidden.textContent = ' ' + text;
    b.appendChild(hidden);
    b.addEventListener('click', function () { wordsEdit(op, text); });
    td.appendChild(b);
  }

  function showWords(w) {
    $('step-words').hidden = false;
    $('step-words').dataset.shown = String(Number($('step-words').dataset.shown || 0) + 1);
    $('words-summary').textContent = w.n_words + ' different words and phrases counted; ' +
      w.merges.length + ' spellings merged; ' + w.excluded.length + ' kinds of non-answer left out.';
    const mb = document.querySelector('#merges tbody');
    mb.textContent = '';
    for (const m of w.merges) {
      const tr = document.createElement('tr');
      cell(tr, m.from); cell(tr, m.into);
      cell(tr, m.kind === 'vocabulary' ? 'typo of a survey option' : m.kind === 'synonym' ? 'your synonym'
        : m.kind === 'plural' ? 'plural of the word' : m.kind);
      cell(tr, String(m.count));
      const td = cell(tr, '');
      if (m.kind === 'vocabulary') { opButton(td, 'not-typo', m.from, 'Not a typo: count separately'); }
      if (m.kind === 'synonym') { opButton(td, 'remove-synonym', m.from, 'Undo this synonym'); }
      if (m.kind === 'plural') { opButton(td, 'keep-plurals', m.from, 'Count plurals separately'); }
      mb.appendChild(tr);
    }
    const xb = document.querySelector('#excluded tbody');
    xb.textContent = '';
    for (const x of w.excluded) {
      const tr = document.createElement('tr');
      cell(tr, x.text); cell(tr, String(x.count)); cell(tr, x.by === 'you' ? 'you' : 'the non-answer list');
      opButton(cell(tr, ''), 'include', x.text, 'Count it as a word');
      xb.appendChild(tr);
    }
    // The CLI's --merge-plurals, for the whole table; undone the same way.
    const plurals = !!w.settings.plurals;
    $('plurals-state').textContent = plurals
      ? 'Plurals are counted with their singular (“trees” as “tree”) when both are written.'
      : 'Plurals are counted as written (“trees” apart from “tree”).';
    $('plurals-toggle').textContent = plurals ? 'Count plurals separately' : 'Merge plurals into their singular';
    $('plurals-toggle').dataset.op = plurals ? 'keep-plurals' : 'merge-plurals';
    const undo = $('undo-lists');
    undo.textContent = '';
    for (const [key, op, title] of [['keep', 'reexclude', 'Non-answers you count as words'],
      ['not_typos', 'typo', 'Spellings you said are not typos']]) {
      const items = w.settings[key] || [];
      if (!items.length) { continue; }
      const h = document.createElement('h3');
      h.textContent = title;
      const ul = document.createElement('ul');
      for (const t of items) {
        const li = document.createElement('li');
        li.textContent = t + ' ';
        opButton(li, op, t, 'Undo');
        ul.appendChild(li);
      }
      undo.append(h, ul);
    }
    for (const body of [mb, xb]) {
      if (!body.rows.length) {
        const tr = document.createElement('tr');
        const td = cell(tr, 'None.');
        td.colSpan = body.parentNode.tHead.rows[0].cells.length;
        body.appendChild(tr);
      }
    }
    const wb = document.querySelector('#words tbody');
    wb.textContent = '';
    // The first 50 here; every word is in the table downloads.
    $('words-more').textContent = w.n_words > 50 ? 'The 50 with most votes of ' + w.n_words +
      '; every word is in the table downloads.' : '';
    for (const x of w.words.slice(0, 50)) {
      const tr = document.createElement('tr');
      cell(tr, x.text); cell(tr, String(x.count)); cell(tr, x.group);
      wb.appendChild(tr);
    }
  }

  async function words(op, text) {
    const o = columnsOnly();
    if (!o.columns && !o['free-text-columns']) { return false; }
    if (op) { o.op = op; o.text = text; }
    try {
      showWords(await api('/api/uploads/' + upload.id + '/words', JSON.stringify(o), 'application/json'));
    } catch (e) {
      fail(e.message);
      return false;
    }
    return true;
  }

  async function wordsEdit(op, text) {
    fail('');
    if (await words(op, text)) {
      // The button pressed is gone with the old table: keyboard focus
      // goes to the summary of the new one, not to the top of the page.
      $('words-summary').focus();
      say('Words updated.');
      render();
      return true;
    }
    return false;
  }

  function options() {
    const o = {};
    const choice = [], free = [];
    for (const box of document.querySelectorAll('#columns input:checked')) {
      (box.dataset.role === 'free-text' ? free : choice).push(box.value);
    }
    o.columns = choice.join(',');
    if (free.length) { o['free-text-columns'] = free.join(','); }
    const preset = $('preset').value;
    if (preset === 'a4') {
      o.width = 3508; o.height = 2480; o.dpi = 300;
    } else {
      const wh = preset.split('x');
      o.width = parseInt(wh[0], 10); o.height = parseInt(wh[1], 10);
    }
    const pal = $('palette').value;
    o.palette = pal === 'custom' ? $('custom').value.trim() : pal;
    const bg = $('background').value;
    if (bg === 'transparent') {
      o.background = 'transparent';
      if ($('page-colour').value.trim()) { o['contrast-against'] = $('page-colour').value.trim(); }
    } else if (bg === 'custom' && $('background-colour').value.trim()) {
      o.background = $('background-colour').value.trim();
    }
    if ($('shape').value !== 'rectangle') { o.shape = $('shape').value; }
    if ($('sizing').value !== 'linear') { o.sizing = $('sizing').value; }
    if (font) { o['font-id'] = font.id; o['font-name'] = font.name; }
    if ($('title').value.trim()) { o.title = $('title').value.trim(); }
    if ($('question').value.trim()) { o.question = $('question').value.trim(); }
    if ($('legend').checked) { o.legend = true; }
    if ($('upright').checked) { o.rotate = 'auto'; }
    return o;
  }

  // ---- alt text and events
  async function saveAlt() {
    if (!cloud) { return; }
    fail('');
    try {
      await api('/api/clouds/' + cloud.id + '/alt', JSON.stringify({ alt_text: $('alt').value }), 'application/json');
    } catch (e) { fail(e.message); return; }
    $('preview').alt = $('alt').value;
    say('Alt text saved with the cloud.');
  }

  // Columns that can split the responses by event: the detected event
  // column first, then metadata with a few recurring values (a channel or
  // venue column such as "Where did you fill in this survey?").
  function eventColumns() {
    if (!upload) { return []; }
    const ev = upload.columns.filter((c) => c.role === 'event');
    const meta = upload.columns.filter((c) => c.role === 'metadata' && c.distinct >= 2 && c.distinct <= 50 &&
      c.top.length && c.top[0][1] >= 2);
    return ev.concat(meta);
  }

  function eventColumn() {
    const sel = $('event-col');
    const cols = eventColumns();
    for (const c of cols) { if (String(c.index) === sel.value) { return c; } }
    return cols[0] || null;
  }

  function showEventColumns() {
    const sel = $('event-col');
    sel.textContent = '';
    for (const c of eventColumns()) {
      const opt = document.createElement('option');
      opt.value = String(c.index);
      opt.textContent = c.header + ' (' + c.distinct + ' values)';
      sel.appendChild(opt);
    }
  }

  async function runEvents() {
    const ev = eventColumn();
    if (!ev) { return; }
    fail('');
    const o = options();
    o['event-column'] = '#' + ev.index; // the number, whatever the headers say
    if ($('same-scale').checked) { o['same-scale'] = true; }
    say('Drawing one cloud per event…');
    let b;
    try {
      b = await api('/api/uploads/' + upload.id + '/batch', JSON.stringify(o), 'application/json');
    } catch (e) { say(''); fail(e.message); return; }
    const ul = $('gallery');
    ul.textContent = '';
    for (const g of b.gallery) {
      const li = document.createElement('li');
      const h = document.createElement('h3');
      h.textContent = g.event + (g.respondents ? ' (' + g.respondents + ' respondents)' : '');
      li.appendChild(h);
      if (g.svg) {
        const img = document.createElement('img');
        img.src = '/api/batches/' + b.id + '/gallery/' + g.svg;
        img.alt = g.alt_text || ('Word cloud for ' + g.event);
        li.appendChild(img);
        if (g.undrawable && g.undrawable.length) {
          const note = document.createElement('p');
          note.className = 'note';
          note.setAttribute('role', 'note');
          note.textContent = undrawableNote(g.undrawable).trim();
          li.appendChild(note);
        }
      } else {
        const p = document.createElement('p');
        p.textContent = 'Not drawn: ' + (g.error || g.status);
        li.appendChild(p);
      }
      ul.appendChild(li);
    }
    $('events-zip-link').href = '/api/batches/' + b.id + '/gallery.zip';
    $('events-zip').hidden = false;
    say('Drew ' + b.events + ' event clouds.');
  }

  // ---- house styles and fonts
  function styleOptions() {
    const o = options();
    delete o.columns;
    delete o['free-text-columns'];
    return o;
  }

  function setSelect(id, value, fallback) {
    const sel = $(id);
    sel.value = value;
    if (sel.value !== value) { sel.value = fallback; return false; }
    return true;
  }

  // Shows a style's options in the controls (what the controls cannot
  // show is said in the status line, not dropped silently).
  function applyStyle(o) {
    const left = [];
    const size = o.width + 'x' + o.height;
    if (o.dpi === 300 && o.width === 3508) { $('preset').value = 'a4'; } else if (o.width && !setSelect('preset', size, '1200x675')) { left.push('size ' + size); }
    if (o.palette) {
      if (!setSelect('palette', o.palette, 'custom')) { $('custom').value = o.palette; }
    }
    if (o.background === 'transparent') {
      $('background').value = 'transparent';
      $('page-colour').value = o['contrast-against'] || '#ffffff';
    } else if (o.background && o.background !== 'white') {
      $('background').value = 'custom';
      $('background-colour').value = o.background;
    } else { $('background').value = 'white'; }
    setSelect('shape', o.shape || 'rectangle', 'rectangle');
    setSelect('sizing', o.sizing || 'linear', 'linear');
    $('title').value = o.title || '';
    $('question').value = o.question || '';
    $('legend').checked = !!o.legend;
    $('upright').checked = o.rotate === 'auto';
    if (o['font-id']) { font = { id: o['font-id'], name: o['font-name'] || 'font' }; $('font-status').textContent = 'Font: ' + font.name; }
    const known = ['width', 'height', 'dpi', 'palette', 'background', 'contrast-against', 'shape', 'sizing',
      'title', 'question', 'legend', 'font-id', 'font-name'];
    // The tick box shows rotate=auto only; other angles are not shown here.
    if (o.rotate === 'auto') { known.push('rotate'); }
    for (const k of Object.keys(o)) { if (known.indexOf(k) < 0) { left.push(k); } }
    schedule();
    return left;
  }

  async function listStyles(select) {
    const r = await fetch('/api/styles');
    const j = await r.json();
    const sel = $('style-list');
    sel.textContent = '';
    styles = {};
    for (const st of j.styles) {
      styles[st.name] = st.options;
      const opt = document.createElement('option');
      opt.value = st.name;
      opt.textContent = st.name;
      sel.appendChild(opt);
    }
    if (!j.styles.length) {
      const opt = document.createElement('option');
      opt.value = '';
      opt.textContent = '(none saved yet)';
      sel.appendChild(opt);
    }
    if (select) { sel.value = select; }
    showStyleLink();
  }

  function showStyleLink() {
    const name = $('style-list').value;
    const a = $('style-download');
    a.hidden = !name;
    a.href = '/api/styles/file?name=' + encodeURIComponent(name);
  }

  async function saveStyle() {
    fail('');
    const name = $('style-name').value.trim();
    try {
      await api('/api/styles', JSON.stringify({ name: name, options: styleOptions() }), 'application/json');
    } catch (e) { fail(e.message); return; }
    await listStyles(name);
    say('Saved the house style ' + name + '.');
  }

  async function loadStyleFile(file) {
    fail('');
    if (file.size > 65536) { fail(file.name + ': larger than 64 KiB: not a style file'); return; }
    const text = await file.text();
    let j;
    try {
      j = await api('/api/styles/load', JSON.stringify({ name: file.name, text: text }), 'application/json');
    } catch (e) { fail(e.message); return; }
    const left = applyStyle(j.options);
    say('Loaded ' + file.name + (left.length ? '; not shown in this page: ' + left.join(', ') : '') + '.');
  }

  async function sendFont(file) {
    fail('');
    $('font-status').textContent = 'Checking ' + file.name + '…';
    const fd = new FormData();
    fd.append('font', file, file.name);
    try {
      font = await api('/api/fonts', fd);
    } catch (e) {
      font = null;
      $('font-status').textContent = '';
      fail(e.message);
      return;
    }
    $('font-status').textContent = 'Font: ' + font.name;
    schedule();
  }

  // A choice (select, checkbox) redraws at once; typing waits for a pause,
  // so a title is not drawn letter by letter.
  function schedule(ev) {
    $('custom-field').hidden = $('palette').value !== 'custom';
    $('background-field').hidden = $('background').value !== 'custom';
    $('page-field').hidden = $('background').value !== 'transparent';
    const typing = ev && ev.type === 'input' && ev.target && ev.target.type === 'text';
    clearTimeout(timer);
    timer = setTimeout(render, typing ? 300 : 0);
  }

  async function render() {
    if (!upload) { return; }
    const mine = ++generation;
    const o = options();
    if (!o.columns && !o['free-text-columns']) { fail('Tick at least one column to count.'); return; }
    if (o.palette === '') { return; }
    say('Drawing…');
    let c;
    try {
      c = await api('/api/uploads/' + upload.id + '/clouds', JSON.stringify(o), 'application/json');
    } catch (e) {
      if (mine === generation) { say(''); fail(e.message); }
      return;
    }
    if (mine !== generation) { return; }
    fail('');
    cloud = c;
    const img = $('preview');
    img.src = '/api/clouds/' + c.id + '/cloud.svg';
    img.alt = c.alt_text;
    img.dataset.cloud = c.id;
    $('alt').value = c.alt_text;
    for (const a of document.querySelectorAll('#downloads a')) {
      a.href = '/api/clouds/' + c.id + '/' + a.dataset.file;
    }
    $('step-download').hidden = false;
    if (eventColumn()) { $('step-events').hidden = false; }
    say('Preview updated: ' + c.words + ' words' + (c.dropped ? ', ' + c.dropped + ' left out (see the table)' : '') + '.' +
        undrawableNote(c.undrawable || []));
  }

  document.addEventListener('DOMContentLoaded', function () {
    $('upload-form').addEventListener('submit', function (ev) {
      ev.preventDefault();
      const f = $('file').files[0];
      if (f) { sendFile(f); }
    });
    $('file').addEventListener('change', function () {
      const f = $('file').files[0];
      if (f) { sendFile(f); }
    });
    const drop = $('drop');
    drop.addEventListener('dragover', function (ev) { ev.preventDefault(); drop.classList.add('over'); });
    drop.addEventListener('dragleave', function () { drop.classList.remove('over'); });
    drop.addEventListener('drop', function (ev) {
      ev.preventDefault();
      drop.classList.remove('over');
      if (ev.dataTransfer.files.length) { sendFile(ev.dataTransfer.files[0]); }
    });
    $('add-exclusions').addEventListener('click', function () {
      wordsEdit('exclude', $('exclusions').value).then(function (done) { if (done) { $('exclusions').value = ''; } });
    });
    $('add-synonyms').addEventListener('click', function () {
      wordsEdit('synonyms', $('synonyms').value).then(function (done) { if (done) { $('synonyms').value = ''; } });
    });
    $('plurals-toggle').addEventListener('click', function () {
      wordsEdit($('plurals-toggle').dataset.op, '');
    });
    $('style-save').addEventListener('click', saveStyle);
    $('alt-save').addEventListener('click', saveAlt);
    $('events-run').addEventListener('click', runEvents);
    $('style-list').addEventListener('change', showStyleLink);
    $('style-apply').addEventListener('click', function () {
      const name = $('style-list').value;
      if (styles[name]) {
        const left = applyStyle(styles[name]);
        say('Using the house style ' + name + (left.length ? '; not shown in this page: ' + left.join(', ') : '') + '.');
      }
    });
    $('style-file').addEventListener('change', function () {
      const f = $('style-file').files[0];
      if (f) { loadStyleFile(f); }
    });
    $('font-file').addEventListener('change', function () {
      const f = $('font-file').files[0];
      if (f) { sendFont(f); }
    });
    listStyles();
    for (const id of ['preset', 'palette', 'custom', 'title', 'question', 'legend', 'upright', 'background',
      'background-colour', 'page-colour', 'shape', 'sizing']) {
      $(id).addEventListener('input', schedule);
      $(id).addEventListener('change', schedule);
    }
  });
})();
