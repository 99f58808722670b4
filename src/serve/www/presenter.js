// presenter.js - the live cloud on the projector: each layout from the
// server's stream moves the words' <g> groups (keyed by word), so CSS
// transitions grow them in place; nothing is redrawn from scratch.
'use strict';
(function () {
  const id = location.pathname.split('/')[2];
  const store = 'votecloud-key-' + id;
  const m = /key=([0-9a-f]{32})/.exec(location.hash);
  let key = m ? m[1] : sessionStorage.getItem(store);
  if (m) {
    // The key leaves the address bar at once: no screenshot, history or
    // shared screen shows it.
    sessionStorage.setItem(store, key);
    history.replaceState(null, '', location.pathname);
  }
  const NS = 'http://www.w3.org/2000/svg';
  const svg = document.getElementById('cloud');
  const msg = document.getElementById('msg');
  const groups = new Map();
  const fonts = new Set();
  let paused = false, waiting = null, selected = null, moderation = false, closed = false;

  function say(text) {
    msg.textContent = text;
    msg.hidden = !text;
  }

  function api(path, body) {
    const opts = {method: body === undefined ? 'GET' : 'POST',
                  headers: {'Authorization': 'Bearer ' + key, 'X-Votecloud': '1'}};
    if (body !== undefined) {
      opts.headers['Content-Type'] = 'application/json';
      opts.body = JSON.stringify(body);
    }
    return fetch('/api/events/' + id + path, opts);
  }

  function family(font) {
    if (!font) return 'sans-serif';
    const fam = 'vc-' + font.replace(/[^A-Za-z0-9]/g, '_');
    if (!fonts.has(font)) {
      fonts.add(font);
      const face = new FontFace(fam, 'url(/live/fonts/' + encodeURIComponent(font) + ')');
      face.load().then(function (f) { document.fonts.add(f); }).catch(function () {});
    }
    return fam + ', sans-serif';
  }

  // A phrase the layout wrapped comes with its lines: each is drawn
  // centred on the widest (its advance), baselines 1.05 em apart, as the
  // library draws them (VC_WRAP_LEADING); other words are one line.
  function setLines(g, w) {
    const lines = w.lines || [w.text];
    const key = lines.join('\n');
    if (g.dataset.lines === key) return;
    g.dataset.lines = key;
    while (g.firstChild) g.removeChild(g.firstChild);
    lines.forEach(function (line, k) {
      const t = document.createElementNS(NS, 'text');
      t.setAttribute('font-size', '100');
      if (lines.length > 1) {
        t.setAttribute('text-anchor', 'middle');
        t.setAttribute('x', String(50 * w.advance / w.font_size));
        t.setAttribute('y', String(105 * k));
      }
      t.textContent = line; // text, never markup
      g.appendChild(t);
    });
  }

  function place(g, w, scale) {
    g.style.transform = 'translate(' + w.x + 'px,' + w.y + 'px) rotate(' + w.rotation +
      'deg) scale(' + scale + ')';
  }

  function apply(layout) {
    svg.setAttribute('viewBox', '0 0 ' + layout.width + ' ' + layout.height);
    const seen = new Set();
    layout.words.forEach(function (w) {
      const k = w.group + '\u0000' + w.text;
      seen.add(k);
      let g = groups.get(k);
      if (!g) {
        g = document.createElementNS(NS, 'g');
        g.dataset.word = w.text;
        g.addEventListener('click', function () { select(g); });
        place(g, w, 0.01); // a new word grows from its own anchor
        g.style.opacity = '0';
        svg.appendChild(g);
        groups.set(k, g);
        g.getBoundingClientRect();
      }
      setLines(g, w);
      g.setAttribute('fill', w.color);
      g.setAttribute('font-family', family(w.font));
      g.dataset.count = w.count;
      place(g, w, w.font_size / 100);
      g.style.opacity = '1';
    });
    groups.forEach(function (g, k) {
      if (!seen.has(k)) {
        groups.delete(k);
        g.style.opacity = '0';
        setTimeout(function () { g.remove(); }, 900);
        if (selected === g) selected = null;
      }
    });
  }

  function stats(s) {
    document.getElementById('n').textContent = s.participants;
    const left = s.no_answer + s.profanity + s.hidden;
    document.getElementById('left').textContent = left ? left + ' left out' : '';
    document.getElementById('left').title = s.no_answer + ' no answer, ' + s.profanity +
      ' filtered, ' + s.hidden + ' hidden';
    document.getElementById('q').textContent = s.question;
    const base = s.public_url || location.origin;
    document.getElementById('join').textContent = base.replace(/^https?:\/\//, '') + '/j/' + s.code;
    // Phones cannot open the projector's own loopback address.
    document.getElementById('local').hidden =
      !/^(127\.|localhost$|\[::1\]$)/.test(new URL(base).hostname);
    document.getElementById('export').href = '/api/events/' + id + '/export.csv';
    document.getElementById('modlog').href = '/api/events/' + id + '/moderation.csv';
    const qr = document.getElementById('qr');
    if (qr.hidden) {
      qr.src = '/j/' + s.code + '/qr.svg';
      qr.hidden = false;
    }
    moderation = s.moderation;
    closed = s.closed;
    if (closed) say('The room is closed: no more answers.');
    if (moderation && s.pending > 0) loadQueue();
  }

  function select(g) {
    if (selected) selected.classList.remove('sel');
    selected = selected === g ? null : g;
    if (selected) selected.classList.add('sel');
  }

  function hide() {
    const word = selected ? selected.dataset.word : window.prompt('Hide which word?');
    if (!word) return;
    api('/hide', {word: word}).then(function (r) {
      say(r.ok ? 'Hidden: ' + word : 'Could not hide ' + word);
    });
  }

  function unhide() {
    const word = window.prompt('Show which hidden word again?');
    if (!word) return;
    api('/unhide', {word: word}).then(function (r) {
      say(r.ok ? 'Shown again: ' + word : 'Could not show ' + word);
    });
  }

  function loadQueue() {
    api('/pending').then(function (r) { return r.ok ? r.text() : ''; }).then(function (tsv) {
      const ul = document.getElementById('pending');
      ul.textContent = '';
      tsv.split('\n').slice(1).filter(Boolean).forEach(function (line) {
        const cells = line.split('\t');
        const li = document.createElement('li');
        li.textContent = cells[0] + ' (' + cells[1] + ')';
        const b = document.createElement('button');
        b.textContent = 'Approve';
        b.setAttribute('aria-label', 'Approve ' + cells[0]);
        b.addEventListener('click', function () {
          api('/approve', {word: cells[0].replace(/^'/, '')}).then(loadQueue);
        });
        li.appendChild(b);
        ul.appendChild(li);
      });
      document.getElementById('queue').hidden = !ul.firstChild;
    });
  }

  // After the event: the export goes into the web app's normal flow
  // (upload -> columns -> style -> downloads), as a file would.
  function publish() {
    api('/export.csv').then(function (r) {
      if (!r.ok) throw new Error('export ' + r.status);
      return r.blob();
    }).then(function (blob) {
      const form = new FormData();
      form.append('file', blob, 'live-' + id.slice(0, 8) + '.csv');
      return fetch('/api/uploads', {method: 'POST', headers: {'X-Votecloud': '1'}, body: form});
    }).then(function (r) {
      return r.json().then(function (j) {
        if (!r.ok) throw new Error(j.error || r.status);
        location.href = '/u/' + j.id;
      });
    }).catch(function (e) { say('Could not open the answers: ' + e.message); });
  }
  document.getElementById('publish').addEventListener('click', publish);

  document.addEventListener('keydown', function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const k = e.key.toLowerCase();
    if (k === 'p') {
      paused = !paused;
      say(paused ? 'Paused: new answers are kept, the screen waits.' : '');
      if (!paused && waiting) { apply(waiting); waiting = null; }
    } else if (k === 'h') {
      hide();
    } else if (k === 'u') {
      unhide();
    } else if (k === 'a') {
      loadQueue();
    } else if (k === 'c') {
      if (!closed && window.confirm('Close the room? No more answers will be taken.')) {
        api('/close', {}).then(function (r) { say(r.ok ? 'The room is closed.' : 'Could not close.'); });
      }
    } else if (k === 'f') {
      if (document.fullscreenElement) document.exitFullscreen();
      else document.documentElement.requestFullscreen().catch(function () {});
    } else if (k === 'escape') {
      select(selected);
    }
  });

  if (!key) {
    say('Open this screen from the presenter link (it holds the room key).');
    return;
  }
  // The stream cannot send a header, so the key becomes an HttpOnly
  // cookie limited to this room's API.
  api('/session', {}).then(function (r) {
    if (!r.ok) {
      say(r.status === 403 ? 'This key does not open the room.' : 'The room cannot be opened.');
      return;
    }
    const es = new EventSource('/api/events/' + id + '/stream');
    es.addEventListener('stats', function (e) { stats(JSON.parse(e.data)); });
    es.addEventListener('layout', function (e) {
      const layout = JSON.parse(e.data);
      if (paused) waiting = layout; else apply(layout);
    });
    es.onerror = function () { say('Reconnecting...'); };
    es.onopen = function () { if (!closed) say(''); };
  });
})();
