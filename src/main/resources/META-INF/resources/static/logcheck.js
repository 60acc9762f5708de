// The public log checker (/log): checks a checkpoint's signature, an entry's inclusion and the log's consistency in
// the visitor's browser, with WebCrypto's SHA-256 and Ed25519. Formats: C2SP signed-note v1.0.0 and tlog-checkpoint
// v1.0.0; proofs: RFC 9162 §2.1.3.2 (inclusion) and §2.1.4.2 (consistency). The server only serves the public
// endpoints under /api/v1/log; nothing here trusts what it says. window.FabtrailLogCheck exposes the verifiers
// (tests run the upstream known-answer vectors through them).
(function (global) {
  'use strict';

  var EM_DASH_SPACE = '\u2014 ';
  var MAX_SIGNATURES = 100;
  var ALG_ED25519 = 1;

  /**
   * A message in the page's language: the page's element #logcheck-texts carries each text in its
   * data-<name> attribute (the server's message bundle); %1, %2... stand for the arguments. Without the page
   * (tests call the verifiers directly), the English text.
   */
  var ENGLISH = {
    'no-webcrypto': 'this browser offers no WebCrypto on this page (it needs HTTPS, or localhost)',
    'not-hex': '%1 is not hex',
    'not-base64': '%1 is not base64',
    'key-form': 'the key is not of the form name+hash+key',
    'key-hash-digits': 'the key hash is not 8 lowercase hex digits',
    'the-key': 'the key',
    'not-ed25519': 'the key is not an Ed25519 key',
    'key-hash-mismatch': 'the key hash %1 does not match the key (it should be %2)',
    'note-not-utf8': 'malformed note: not UTF-8',
    'note-control': 'malformed note: it holds control characters',
    'note-no-blank': 'malformed note: no blank line before the signatures',
    'note-no-newline': 'malformed note: the signatures do not end with a newline',
    'note-too-many': 'malformed note: more than %1 signatures',
    'note-line-start': 'malformed note: line %1 of the signatures does not start with "\u2014 "',
    'note-key-name': 'malformed note: signature line %1 has no valid key name',
    'signature-n': 'signature %1',
    'note-sig-short': 'malformed note: signature %1 is too short',
    'no-signature-by': 'the note has no signature by %1',
    'invalid-signature': 'invalid signature for key %1',
    'cp-lines': 'the checkpoint does not have origin, size and root lines',
    'cp-no-origin': 'the checkpoint has no origin',
    'cp-size': 'the checkpoint\'s tree size is not a decimal number',
    'cp-root-hash': 'the checkpoint\'s root hash',
    'cp-root-length': 'the checkpoint\'s root hash is not 32 bytes',
    'proof-hash-length': 'proof hash %1 is not 32 bytes',
    'proof-too-long': 'the proof has more hashes than the tree has levels',
    'proof-too-short': 'the proof has fewer hashes than the tree has levels',
    'index-not-below': 'the leaf index %1 is not below the tree size %2',
    'leaf-root-length': 'a leaf hash and a root are 32 bytes',
    'wrong-root': 'the proof leads to root %1, not to the signed root %2',
    'from-empty': 'a consistency proof from the empty tree proves nothing',
    'older-larger': 'the older tree (size %1) is larger than the newer one (size %2)',
    'equal-size-proof': 'trees of equal size need an empty proof',
    'forked': 'two different roots for the same tree size %1: the log forked',
    'root-length': 'roots are 32 bytes',
    'proof-empty': 'the proof is empty',
    'not-older-root': 'the proof does not lead to the older root %1',
    'not-newer-root': 'the proof does not lead to the newer root %1',
    'proof-hash-digits': 'proof hash %1 is not 64 hex digits',
    'proof-hash': 'proof hash',
    'log-answered': 'the log answered %1',
    'no-proof-hashes': 'the log answered no proof hashes',
    'bad-proof-hash': 'the log answered a proof hash that is not 64 hex digits',
    'verified': 'Verified',
    'failed': 'Failed',
    'checking': 'Checking\u2026',
    'stopped': 'the check stopped: %1',
    'current-signed': 'the current checkpoint is signed by %1 (Ed25519 over the note text): origin %2, tree size %3, root %4',
    'index-number': 'the log index must be a whole number',
    'leaf-hash-digits': 'the leaf hash must be 64 hex digits',
    'index-not-in-tree': 'index %1 is not in the tree of size %2 (yet)',
    'your-inclusion': 'your inclusion proof: %1 hashes',
    'log-inclusion': 'the log\'s inclusion proof: %1 hashes',
    'leaf-hash': 'leaf hash',
    'included': 'the proof leads from leaf hash %1 at index %2 to the signed root %3: the entry is in the log',
    'paste-older': 'paste the older checkpoint first',
    'older-signed': 'the older checkpoint is signed by the log\'s key: tree size %1, root %2',
    'another-log': 'the older checkpoint is of another log (%1)',
    'older-cp-larger': 'the older checkpoint (size %1) is larger than the current one (size %2)',
    'your-consistency': 'your consistency proof: %1 hashes',
    'log-consistency': 'the log\'s consistency proof: %1 hashes',
    'prefix': 'the tree of size %1 is a prefix of the tree of size %2: nothing in it was changed or removed'
  };

  function t(name) {
    var el = global.document && global.document.getElementById('logcheck-texts');
    var text = (el && el.getAttribute('data-' + name)) || ENGLISH[name];
    var args = arguments;
    return text.replace(/%(\d)/g, function (m, i) { return String(args[Number(i)]); });
  }

  function CheckError(message) {
    this.name = 'CheckError';
    this.message = message;
  }
  CheckError.prototype = Object.create(Error.prototype);

  function fail(message) {
    throw new CheckError(message);
  }

  function subtle() {
    if (!global.crypto || !global.crypto.subtle) {
      fail(t('no-webcrypto'));
    }
    return global.crypto.subtle;
  }

  function concat() {
    var total = 0;
    var i;
    for (i = 0; i < arguments.length; i++) { total += arguments[i].length; }
    var out = new Uint8Array(total);
    var at = 0;
    for (i = 0; i < arguments.length; i++) { out.set(arguments[i], at); at += arguments[i].length; }
    return out;
  }

  function sha256(bytes) {
    return subtle().digest('SHA-256', bytes).then(function (d) { return new Uint8Array(d); });
  }

  /** RFC 9162 leaf hash: SHA-256(0x00 || leaf). */
  function leafHash(leaf) {
    return sha256(concat(new Uint8Array([0]), leaf));
  }

  /** RFC 9162 interior node: SHA-256(0x01 || left || right). */
  function nodeHash(left, right) {
    return sha256(concat(new Uint8Array([1]), left, right));
  }

  function equal(a, b) {
    if (!a || !b || a.length !== b.length) { return false; }
    var diff = 0;
    for (var i = 0; i < a.length; i++) { diff |= a[i] ^ b[i]; }
    return diff === 0;
  }

  function hex(bytes) {
    var s = '';
    for (var i = 0; i < bytes.length; i++) { s += (bytes[i] < 16 ? '0' : '') + bytes[i].toString(16); }
    return s;
  }

  function fromHex(s, what) {
    if (!/^([0-9a-fA-F]{2})*$/.test(s)) { fail(t('not-hex', what)); }
    var out = new Uint8Array(s.length / 2);
    for (var i = 0; i < out.length; i++) { out[i] = parseInt(s.substr(2 * i, 2), 16); }
    return out;
  }

  /** Standard base64, padded, nothing else (what signed notes and checkpoints use). */
  function fromBase64(s, what) {
    if (s.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(s)) { fail(t('not-base64', what)); }
    var bin = global.atob(s);
    var out = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) { out[i] = bin.charCodeAt(i); }
    return out;
  }

  var utf8 = new TextEncoder();

  /** A key name per signed-note: not empty, no '+', no whitespace or control characters. */
  function validName(name) {
    return name.length > 0 && !/[+\s\u0000-\u001f\u007f\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/.test(name);
  }

  /** The 4-byte key hash of signed-note: SHA-256(name || 0x0A || type || public key)[:4]. */
  function keyHash(name, typedKey) {
    return sha256(concat(utf8.encode(name), new Uint8Array([10]), typedKey)).then(function (h) { return h.slice(0, 4); });
  }

  /** Parses and checks a C2SP vkey "name+hash+base64(0x01 || 32-byte Ed25519 key)". */
  function parseVkey(vkey) {
    return Promise.resolve().then(function () {
      var m = /^([^+]*)\+([^+]*)\+(.*)$/.exec(String(vkey));
      var parts = m ? m.slice(1) : null;
      if (!parts || !validName(parts[0])) { fail(t('key-form')); }
      if (!/^[0-9a-f]{8}$/.test(parts[1])) { fail(t('key-hash-digits')); }
      var typed = fromBase64(parts[2], t('the-key'));
      if (typed.length !== 33 || typed[0] !== ALG_ED25519) { fail(t('not-ed25519')); }
      return keyHash(parts[0], typed).then(function (h) {
        if (hex(h) !== parts[1]) { fail(t('key-hash-mismatch', parts[1], hex(h))); }
        return { name: parts[0], hash: h, public: typed.slice(1), id: parts[0] + '+' + parts[1] };
      });
    });
  }

  /**
   * Opens a signed note with one key: checks its form, finds the signature line of that key (name and key hash) and
   * verifies it with Ed25519 over the note's text. Other signers' lines (witness cosignatures) are left alone.
   * Resolves to the note's text; rejects with a CheckError saying what is wrong.
   */
  function openNote(note, vkey) {
    return parseVkey(vkey).then(function (key) {
      if (note instanceof Uint8Array) {
        try {
          note = new TextDecoder('utf-8', { fatal: true }).decode(note);
        } catch (e) {
          fail(t('note-not-utf8'));
        }
      }
      if (/[\u0000-\u0009\u000b-\u001f]/.test(note)) { fail(t('note-control')); }
      var split = note.lastIndexOf('\n\n');
      if (split < 0) { fail(t('note-no-blank')); }
      var text = note.substring(0, split + 1);
      var sigs = note.substring(split + 2);
      if (sigs.length === 0 || sigs.charAt(sigs.length - 1) !== '\n') { fail(t('note-no-newline')); }
      var lines = sigs.substring(0, sigs.length - 1).split('\n');
      if (lines.length > MAX_SIGNATURES) { fail(t('note-too-many', MAX_SIGNATURES)); }
      var mine = [];
      for (var i = 0; i < lines.length; i++) {
        var line = lines[i];
        if (line.indexOf(EM_DASH_SPACE) !== 0) { fail(t('note-line-start', i + 1)); }
        var rest = line.substring(EM_DASH_SPACE.length);
        var space = rest.indexOf(' ');
        var name = rest.substring(0, space);
        if (space < 0 || !validName(name)) { fail(t('note-key-name', i + 1)); }
        var sig = fromBase64(rest.substring(space + 1), t('signature-n', i + 1));
        if (sig.length < 5) { fail(t('note-sig-short', i + 1)); }
        if (name === key.name && equal(sig.slice(0, 4), key.hash)) { mine.push(sig.slice(4)); }
      }
      if (mine.length === 0) { fail(t('no-signature-by', key.id)); }
      return subtle().importKey('raw', key.public, { name: 'Ed25519' }, false, ['verify']).then(function (k) {
        var data = utf8.encode(text);
        return Promise.all(mine.map(function (s) {
          return s.length === 64 ? subtle().verify({ name: 'Ed25519' }, k, s, data) : false;
        }));
      }).then(function (results) {
        for (var j = 0; j < results.length; j++) {
          if (!results[j]) { fail(t('invalid-signature', key.id)); }
        }
        return text;
      });
    });
  }

  /** Parses a tlog-checkpoint body: origin, decimal tree size, base64 root hash, optional extension lines. */
  function parseCheckpoint(text) {
    var lines = text.split('\n');
    if (lines.length < 4 || lines[lines.length - 1] !== '') { fail(t('cp-lines')); }
    if (lines[0].length === 0) { fail(t('cp-no-origin')); }
    if (!/^(0|[1-9][0-9]{0,18})$/.test(lines[1])) { fail(t('cp-size')); }
    var root = fromBase64(lines[2], t('cp-root-hash'));
    if (root.length !== 32) { fail(t('cp-root-length')); }
    return { origin: lines[0], size: BigInt(lines[1]), root: root };
  }

  function hashesOf32(proof) {
    proof.forEach(function (p, i) {
      if (p.length !== 32) { fail(t('proof-hash-length', i + 1)); }
    });
  }

  /**
   * The walk both RFC 9162 verifiers share: for each proof hash in turn, whether it joins the path from the left
   * (fn odd, or fn the last node of its level) or from the right, climbing a level each time; fails unless the
   * proof ends exactly at the root (sn = 0).
   */
  function sides(fn, sn, count) {
    var out = [];
    for (var i = 0; i < count; i++) {
      if (sn === 0n) { fail(t('proof-too-long')); }
      if ((fn & 1n) === 1n || fn === sn) {
        out.push(true);
        while ((fn & 1n) === 0n && fn !== 0n) { fn >>= 1n; sn >>= 1n; }
      } else {
        out.push(false);
      }
      fn >>= 1n;
      sn >>= 1n;
    }
    if (sn !== 0n) { fail(t('proof-too-short')); }
    return out;
  }

  /** RFC 9162 §2.1.3.2: the proof leads from the leaf hash at index to the root of the tree of that size. */
  function verifyInclusion(index, size, leaf, proof, root) {
    index = BigInt(index);
    size = BigInt(size);
    return Promise.resolve().then(function () {
      if (index < 0n || index >= size) { fail(t('index-not-below', index, size)); }
      if (leaf.length !== 32 || root.length !== 32) { fail(t('leaf-root-length')); }
      hashesOf32(proof);
      var r = Promise.resolve(leaf);
      sides(index, size - 1n, proof.length).forEach(function (left, i) {
        r = r.then(function (acc) { return left ? nodeHash(proof[i], acc) : nodeHash(acc, proof[i]); });
      });
      return r.then(function (computed) {
        if (!equal(computed, root)) { fail(t('wrong-root', hex(computed), hex(root))); }
        return computed;
      });
    });
  }

  /** RFC 9162 §2.1.4.2: the tree of size1 (root1) is a prefix of the tree of size2 (root2). */
  function verifyConsistency(size1, size2, proof, root1, root2) {
    var m = BigInt(size1);
    var n = BigInt(size2);
    return Promise.resolve().then(function () {
      if (m === 0n) { fail(t('from-empty')); }
      if (n < m) { fail(t('older-larger', m, n)); }
      if (m === n) {
        if (proof.length !== 0) { fail(t('equal-size-proof')); }
        if (!equal(root1, root2)) { fail(t('forked', m)); }
        return;
      }
      if (root1.length !== 32 || root2.length !== 32) { fail(t('root-length')); }
      hashesOf32(proof);
      if (proof.length === 0) { fail(t('proof-empty')); }
      var path = proof.slice();
      if ((m & (m - 1n)) === 0n) { path.unshift(root1); }
      var fn = m - 1n;
      var sn = n - 1n;
      while ((fn & 1n) === 1n) { fn >>= 1n; sn >>= 1n; }
      var fr = Promise.resolve(path[0]);
      var sr = Promise.resolve(path[0]);
      sides(fn, sn, path.length - 1).forEach(function (left, i) {
        var c = path[i + 1];
        if (left) {
          fr = fr.then(function (acc) { return nodeHash(c, acc); });
          sr = sr.then(function (acc) { return nodeHash(c, acc); });
        } else {
          sr = sr.then(function (acc) { return nodeHash(acc, c); });
        }
      });
      return Promise.all([fr, sr]).then(function (roots) {
        if (!equal(roots[0], root1)) { fail(t('not-older-root', hex(root1))); }
        if (!equal(roots[1], root2)) { fail(t('not-newer-root', hex(root2))); }
      });
    });
  }

  global.FabtrailLogCheck = {
    CheckError: CheckError, parseVkey: parseVkey, openNote: openNote, parseCheckpoint: parseCheckpoint,
    verifyInclusion: verifyInclusion, verifyConsistency: verifyConsistency, leafHash: leafHash, hex: hex,
    fromHex: fromHex, fromBase64: fromBase64
  };

  // ------------------------------------------------------------------ the page

  var doc = global.document;
  if (!doc || !doc.getElementById('checkpoint-form')) { return; }

  function value(id) {
    return doc.getElementById(id).value;
  }

  /** A pasted note: line ends made LF, trailing blanks dropped, one final newline (not part of the signed text). */
  function pastedNote(id) {
    return value(id).replace(/\r\n?/g, '\n').replace(/\s+$/, '') + '\n';
  }

  function proofHashes(id) {
    var text = value(id).trim();
    if (!text) { return null; }
    return text.split(/[\s,]+/).map(function (h, i) {
      if (!/^[0-9a-fA-F]{64}$/.test(h)) { fail(t('proof-hash-digits', i + 1)); }
      return fromHex(h.toLowerCase(), t('proof-hash'));
    });
  }

  function fetchJson(url) {
    return global.fetch(url, { headers: { 'Accept': 'application/json' }, credentials: 'omit' }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (body) {
        if (!r.ok) { fail(t('log-answered', r.status) + (body.detail ? ': ' + body.detail : '')); }
        return body;
      });
    });
  }

  function fetchedHashes(list) {
    if (!Array.isArray(list)) { fail(t('no-proof-hashes')); }
    return list.map(function (h) {
      if (typeof h !== 'string' || !/^[0-9a-f]{64}$/.test(h)) { fail(t('bad-proof-hash')); }
      return fromHex(h, t('proof-hash'));
    });
  }

  /** One check's outcome, drawn like the server-side verification blocks: a heading, then each step. */
  function show(target, steps, error) {
    var box = doc.getElementById(target);
    var ok = !error;
    box.textContent = '';
    var section = doc.createElement('section');
    section.className = 'verification ' + (ok ? 'passed' : 'failed');
    section.setAttribute('data-outcome', ok ? 'verified' : 'failed');
    var h = doc.createElement('h3');
    var mark = doc.createElement('span');
    mark.className = ok ? 'ok-mark' : 'fail-mark';
    mark.textContent = ok ? '\u2713' : '\u2717';
    h.appendChild(mark);
    h.appendChild(doc.createTextNode(' ' + (ok ? t('verified') : t('failed'))));
    section.appendChild(h);
    var list = doc.createElement('ul');
    list.className = 'checks';
    steps.concat(error ? [{ ok: false, text: error }] : []).forEach(function (s) {
      var li = doc.createElement('li');
      li.className = s.ok ? 'ok' : 'fail';
      var m = doc.createElement('span');
      m.className = 'mark';
      m.textContent = s.ok ? '\u2713' : '\u2717';
      li.appendChild(m);
      li.appendChild(doc.createTextNode(' ' + s.text));
      list.appendChild(li);
    });
    section.appendChild(list);
    box.appendChild(section);
  }

  function run(target, work) {
    var steps = [];
    var box = doc.getElementById(target);
    box.textContent = t('checking');
    return Promise.resolve().then(function () { return work(steps); }).then(function () {
      show(target, steps, null);
    }, function (e) {
      show(target, steps, e instanceof CheckError ? e.message : t('stopped', e && e.message || e));
    });
  }

  /** The current checkpoint, its signature checked with the key on the page. */
  function currentCheckpoint(steps) {
    var vkey = value('vkey').trim();
    return openNote(pastedNote('checkpoint'), vkey).then(function (text) {
      var cp = parseCheckpoint(text);
      steps.push({ ok: true, text: t('current-signed', vkey.split('+', 2).join('+'), cp.origin, cp.size, hex(cp.root)) });
      return cp;
    });
  }

  function checkSignature() {
    return run('checkpoint-result', currentCheckpoint);
  }

  function checkInclusion() {
    return run('inclusion-result', function (steps) {
      var indexText = value('leaf-index').trim();
      var hashText = value('leaf-hash').trim().toLowerCase();
      if (!/^(0|[1-9][0-9]{0,18})$/.test(indexText)) { fail(t('index-number')); }
      if (!/^[0-9a-f]{64}$/.test(hashText)) { fail(t('leaf-hash-digits')); }
      var own = proofHashes('inclusion-proof');
      return currentCheckpoint(steps).then(function (cp) {
        var index = BigInt(indexText);
        if (index >= cp.size) { fail(t('index-not-in-tree', index, cp.size)); }
        return (own ? Promise.resolve(own) : fetchJson('/api/v1/log/proof/inclusion?index=' + index + '&size=' + cp.size)
            .then(function (p) { return fetchedHashes(p.hashes); })).then(function (proof) {
          steps.push({ ok: true, text: t(own ? 'your-inclusion' : 'log-inclusion', proof.length) });
          return verifyInclusion(index, cp.size, fromHex(hashText, t('leaf-hash')), proof, cp.root).then(function () {
            steps.push({ ok: true, text: t('included', hashText, index, hex(cp.root)) });
          });
        });
      });
    });
  }

  function checkConsistency() {
    return run('consistency-result', function (steps) {
      var vkey = value('vkey').trim();
      if (!value('old-checkpoint').trim()) { fail(t('paste-older')); }
      var own = proofHashes('consistency-proof');
      return openNote(pastedNote('old-checkpoint'), vkey).then(function (text) {
        var old = parseCheckpoint(text);
        steps.push({ ok: true, text: t('older-signed', old.size, hex(old.root)) });
        return currentCheckpoint(steps).then(function (cp) {
          if (old.origin !== cp.origin) { fail(t('another-log', old.origin)); }
          if (old.size > cp.size) { fail(t('older-cp-larger', old.size, cp.size)); }
          var proofs = old.size === cp.size ? Promise.resolve(own || [])
              : own ? Promise.resolve(own)
              : fetchJson('/api/v1/log/proof/consistency?from=' + old.size + '&to=' + cp.size)
                  .then(function (p) { return fetchedHashes(p.hashes); });
          return proofs.then(function (proof) {
            steps.push({ ok: true, text: t(own ? 'your-consistency' : 'log-consistency', proof.length) });
            return verifyConsistency(old.size, cp.size, proof, old.root, cp.root).then(function () {
              steps.push({ ok: true, text: t('prefix', old.size, cp.size) });
            });
          });
        });
      });
    });
  }

  var checks = { checkpoint: checkSignature, inclusion: checkInclusion, consistency: checkConsistency };
  var forms = doc.querySelectorAll('form[data-check]');
  for (var i = 0; i < forms.length; i++) {
    forms[i].addEventListener('submit', function (e) {
      e.preventDefault();
      checks[e.currentTarget.getAttribute('data-check')]();
    });
  }
  doc.getElementById('key-form').addEventListener('submit', function (e) { e.preventDefault(); });
  doc.getElementById('load-latest').addEventListener('click', function () {
    global.fetch('/api/v1/log/checkpoint/latest', { credentials: 'omit' }).then(function (r) {
      if (!r.ok) { fail(t('log-answered', r.status)); }
      return r.text();
    }).then(function (note) {
      doc.getElementById('checkpoint').value = note;
      return checkSignature();
    }).catch(function (e) {
      show('checkpoint-result', [], e instanceof CheckError ? e.message : String(e));
    });
  });
})(window);
