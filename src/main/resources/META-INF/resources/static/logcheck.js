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
      fail('this browser offers no WebCrypto on this page (it needs HTTPS, or localhost)');
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
    if (!/^([0-9a-fA-F]{2})*$/.test(s)) { fail(what + ' is not hex'); }
    var out = new Uint8Array(s.length / 2);
    for (var i = 0; i < out.length; i++) { out[i] = parseInt(s.substr(2 * i, 2), 16); }
    return out;
  }

  /** Standard base64, padded, nothing else (what signed notes and checkpoints use). */
  function fromBase64(s, what) {
    if (s.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(s)) { fail(what + ' is not base64'); }
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
      if (!parts || !validName(parts[0])) { fail('the key is not of the form name+hash+key'); }
      if (!/^[0-9a-f]{8}$/.test(parts[1])) { fail('the key hash is not 8 lowercase hex digits'); }
      var typed = fromBase64(parts[2], 'the key');
      if (typed.length !== 33 || typed[0] !== ALG_ED25519) { fail('the key is not an Ed25519 key'); }
      return keyHash(parts[0], typed).then(function (h) {
        if (hex(h) !== parts[1]) { fail('the key hash ' + parts[1] + ' does not match the key (it should be ' + hex(h) + ')'); }
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
          fail('malformed note: not UTF-8');
        }
      }
      if (/[\u0000-\u0009\u000b-\u001f]/.test(note)) { fail('malformed note: it holds control characters'); }
      var split = note.lastIndexOf('\n\n');
      if (split < 0) { fail('malformed note: no blank line before the signatures'); }
      var text = note.substring(0, split + 1);
      var sigs = note.substring(split + 2);
      if (sigs.length === 0 || sigs.charAt(sigs.length - 1) !== '\n') { fail('malformed note: the signatures do not end with a newline'); }
      var lines = sigs.substring(0, sigs.length - 1).split('\n');
      if (lines.length > MAX_SIGNATURES) { fail('malformed note: more than ' + MAX_SIGNATURES + ' signatures'); }
      var mine = [];
      for (var i = 0; i < lines.length; i++) {
        var line = lines[i];
        if (line.indexOf(EM_DASH_SPACE) !== 0) { fail('malformed note: line ' + (i + 1) + ' of the signatures does not start with "\u2014 "'); }
        var rest = line.substring(EM_DASH_SPACE.length);
        var space = rest.indexOf(' ');
        var name = rest.substring(0, space);
        if (space < 0 || !validName(name)) { fail('malformed note: signature line ' + (i + 1) + ' has no valid key name'); }
        var sig = fromBase64(rest.substring(space + 1), 'signature ' + (i + 1));
        if (sig.length < 5) { fail('malformed note: signature ' + (i + 1) + ' is too short'); }
        if (name === key.name && equal(sig.slice(0, 4), key.hash)) { mine.push(sig.slice(4)); }
      }
      if (mine.length === 0) { fail('the note has no signature by ' + key.id); }
      return subtle().importKey('raw', key.public, { name: 'Ed25519' }, false, ['verify']).then(function (k) {
        var data = utf8.encode(text);
        return Promise.all(mine.map(function (s) {
          return s.length === 64 ? subtle().verify({ name: 'Ed25519' }, k, s, data) : false;
        }));
      }).then(function (results) {
        for (var j = 0; j < results.length; j++) {
          if (!results[j]) { fail('invalid signature for key ' + key.id); }
        }
        return text;
      });
    });
  }

  /** Parses a tlog-checkpoint body: origin, decimal tree size, base64 root hash, optional extension lines. */
  function parseCheckpoint(text) {
    var lines = text.split('\n');
    if (lines.length < 4 || lines[lines.length - 1] !== '') { fail('the checkpoint does not have origin, size and root lines'); }
    if (lines[0].length === 0) { fail('the checkpoint has no origin'); }
    if (!/^(0|[1-9][0-9]{0,18})$/.test(lines[1])) { fail('the checkpoint\'s tree size is not a decimal number'); }
    var root = fromBase64(lines[2], 'the checkpoint\'s root hash');
    if (root.length !== 32) { fail('the checkpoint\'s root hash is not 32 bytes'); }
    return { origin: lines[0], size: BigInt(lines[1]), root: root };
  }

  function hashesOf32(proof) {
    proof.forEach(function (p, i) {
      if (p.length !== 32) { fail('proof hash ' + (i + 1) + ' is not 32 bytes'); }
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
      if (sn === 0n) { fail('the proof has more hashes than the tree has levels'); }
      if ((fn & 1n) === 1n || fn === sn) {
        out.push(true);
        while ((fn & 1n) === 0n && fn !== 0n) { fn >>= 1n; sn >>= 1n; }
      } else {
        out.push(false);
      }
      fn >>= 1n;
      sn >>= 1n;
    }
    if (sn !== 0n) { fail('the proof has fewer hashes than the tree has levels'); }
    return out;
  }

  /** RFC 9162 §2.1.3.2: the proof leads from the leaf hash at index to the root of the tree of that size. */
  function verifyInclusion(index, size, leaf, proof, root) {
    index = BigInt(index);
    size = BigInt(size);
    return Promise.resolve().then(function () {
      if (index < 0n || index >= size) { fail('the leaf index ' + index + ' is not below the tree size ' + size); }
      if (leaf.length !== 32 || root.length !== 32) { fail('a leaf hash and a root are 32 bytes'); }
      hashesOf32(proof);
      var r = Promise.resolve(leaf);
      sides(index, size - 1n, proof.length).forEach(function (left, i) {
        r = r.then(function (acc) { return left ? nodeHash(proof[i], acc) : nodeHash(acc, proof[i]); });
      });
      return r.then(function (computed) {
        if (!equal(computed, root)) { fail('the proof leads to root ' + hex(computed) + ', not to the signed root ' + hex(root)); }
        return computed;
      });
    });
  }

  /** RFC 9162 §2.1.4.2: the tree of size1 (root1) is a prefix of the tree of size2 (root2). */
  function verifyConsistency(size1, size2, proof, root1, root2) {
    var m = BigInt(size1);
    var n = BigInt(size2);
    return Promise.resolve().then(function () {
      if (m === 0n) { fail('a consistency proof from the empty tree proves nothing'); }
      if (n < m) { fail('the older tree (size ' + m + ') is larger than the newer one (size ' + n + ')'); }
      if (m === n) {
        if (proof.length !== 0) { fail('trees of equal size need an empty proof'); }
        if (!equal(root1, root2)) { fail('two different roots for the same tree size ' + m + ': the log forked'); }
        return;
      }
      if (root1.length !== 32 || root2.length !== 32) { fail('roots are 32 bytes'); }
      hashesOf32(proof);
      if (proof.length === 0) { fail('the proof is empty'); }
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
        if (!equal(roots[0], root1)) { fail('the proof does not lead to the older root ' + hex(root1)); }
        if (!equal(roots[1], root2)) { fail('the proof does not lead to the newer root ' + hex(root2)); }
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
      if (!/^[0-9a-fA-F]{64}$/.test(h)) { fail('proof hash ' + (i + 1) + ' is not 64 hex digits'); }
      return fromHex(h.toLowerCase(), 'proof hash');
    });
  }

  function fetchJson(url) {
    return global.fetch(url, { headers: { 'Accept': 'application/json' }, credentials: 'omit' }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (body) {
        if (!r.ok) { fail('the log answered ' + r.status + (body.detail ? ': ' + body.detail : '')); }
        return body;
      });
    });
  }

  function fetchedHashes(list) {
    if (!Array.isArray(list)) { fail('the log answered no proof hashes'); }
    return list.map(function (h) {
      if (typeof h !== 'string' || !/^[0-9a-f]{64}$/.test(h)) { fail('the log answered a proof hash that is not 64 hex digits'); }
      return fromHex(h, 'proof hash');
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
    h.appendChild(doc.createTextNode(ok ? ' Verified' : ' Failed'));
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
    box.textContent = 'Checking\u2026';
    return Promise.resolve().then(function () { return work(steps); }).then(function () {
      show(target, steps, null);
    }, function (e) {
      show(target, steps, e instanceof CheckError ? e.message : 'the check stopped: ' + (e && e.message || e));
    });
  }

  /** The current checkpoint, its signature checked with the key on the page. */
  function currentCheckpoint(steps) {
    var vkey = value('vkey').trim();
    return openNote(pastedNote('checkpoint'), vkey).then(function (text) {
      var cp = parseCheckpoint(text);
      steps.push({ ok: true, text: 'the current checkpoint is signed by ' + vkey.split('+', 2).join('+')
          + ' (Ed25519 over the note text): origin ' + cp.origin + ', tree size ' + cp.size + ', root ' + hex(cp.root) });
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
      if (!/^(0|[1-9][0-9]{0,18})$/.test(indexText)) { fail('the log index must be a whole number'); }
      if (!/^[0-9a-f]{64}$/.test(hashText)) { fail('the leaf hash must be 64 hex digits'); }
      var own = proofHashes('inclusion-proof');
      return currentCheckpoint(steps).then(function (cp) {
        var index = BigInt(indexText);
        if (index >= cp.size) { fail('index ' + index + ' is not in the tree of size ' + cp.size + ' (yet)'); }
        return (own ? Promise.resolve(own) : fetchJson('/api/v1/log/proof/inclusion?index=' + index + '&size=' + cp.size)
            .then(function (p) { return fetchedHashes(p.hashes); })).then(function (proof) {
          steps.push({ ok: true, text: (own ? 'your' : 'the log\'s') + ' inclusion proof: ' + proof.length + ' hashes' });
          return verifyInclusion(index, cp.size, fromHex(hashText, 'leaf hash'), proof, cp.root).then(function () {
            steps.push({ ok: true, text: 'the proof leads from leaf hash ' + hashText + ' at index ' + index
                + ' to the signed root ' + hex(cp.root) + ': the entry is in the log' });
          });
        });
      });
    });
  }

  function checkConsistency() {
    return run('consistency-result', function (steps) {
      var vkey = value('vkey').trim();
      if (!value('old-checkpoint').trim()) { fail('paste the older checkpoint first'); }
      var own = proofHashes('consistency-proof');
      return openNote(pastedNote('old-checkpoint'), vkey).then(function (text) {
        var old = parseCheckpoint(text);
        steps.push({ ok: true, text: 'the older checkpoint is signed by the log\'s key: tree size ' + old.size
            + ', root ' + hex(old.root) });
        return currentCheckpoint(steps).then(function (cp) {
          if (old.origin !== cp.origin) { fail('the older checkpoint is of another log (' + old.origin + ')'); }
          if (old.size > cp.size) { fail('the older checkpoint (size ' + old.size + ') is larger than the current one (size ' + cp.size + ')'); }
          var proofs = old.size === cp.size ? Promise.resolve(own || [])
              : own ? Promise.resolve(own)
              : fetchJson('/api/v1/log/proof/consistency?from=' + old.size + '&to=' + cp.size)
                  .then(function (p) { return fetchedHashes(p.hashes); });
          return proofs.then(function (proof) {
            steps.push({ ok: true, text: (own ? 'your' : 'the log\'s') + ' consistency proof: ' + proof.length + ' hashes' });
            return verifyConsistency(old.size, cp.size, proof, old.root, cp.root).then(function () {
              steps.push({ ok: true, text: 'the tree of size ' + old.size + ' is a prefix of the tree of size '
                  + cp.size + ': nothing in it was changed or removed' });
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
      if (!r.ok) { fail('the log answered ' + r.status); }
      return r.text();
    }).then(function (note) {
      doc.getElementById('checkpoint').value = note;
      return checkSignature();
    }).catch(function (e) {
      show('checkpoint-result', [], e instanceof CheckError ? e.message : String(e));
    });
  });
})(window);
