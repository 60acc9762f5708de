// "Scan label" (tags/scan.html): reads a unit label's QR or Data Matrix code with the vendored ZXing
// (/static/vendor/zxing-library-0.23.0, Apache-2.0; ADR 0022), from a photo (the phone camera through the file
// picker) or from the live camera, and puts the text read into the search box, then submits its form. The search
// takes a serial, manufacturer/serial, or a URL ending in /units/<manufacturer>/<serial> (what Fabtrail's labels
// carry). Everything happens in the browser; no image leaves it.
(function () {
  'use strict';
  var ZX = window.ZXing;
  var boxes = document.querySelectorAll('[data-scan-for]');
  if (!ZX || !boxes.length) { return; }

  /** Longest sides a photo is decoded at, in turn: phone photos are 12 MP, a label's code needs far fewer. */
  var SIDES = [1600, 1000, 640, 400];

  function reader() {
    var hints = new Map();
    hints.set(ZX.DecodeHintType.POSSIBLE_FORMATS, [ZX.BarcodeFormat.QR_CODE, ZX.BarcodeFormat.DATA_MATRIX]);
    hints.set(ZX.DecodeHintType.TRY_HARDER, true);
    var r = new ZX.MultiFormatReader();
    r.setHints(hints);
    return r;
  }

  /** The text of the first QR or Data Matrix code in the canvas, or null. */
  function decodeCanvas(canvas) {
    try {
      var source = new ZX.HTMLCanvasElementLuminanceSource(canvas);
      return reader().decodeWithState(new ZX.BinaryBitmap(new ZX.HybridBinarizer(source))).getText();
    } catch (e) {
      return null;
    }
  }

  /**
   * The code in a photo, tried at a few sizes: ZXing misses codes whose modules are drawn unevenly (a screen shot of
   * a label, a photo from close up) that a smoothed smaller copy reads at once.
   */
  function decodePhoto(image, width, height) {
    var tried = {};
    for (var i = 0; i < SIDES.length; i++) {
      var side = Math.min(SIDES[i], Math.max(width, height));
      if (tried[side]) { continue; }
      tried[side] = true;
      var text = decodeCanvas(draw(image, width, height, side));
      if (text) { return text; }
    }
    return null;
  }

  /** Draws the image (or video frame) scaled so that its longer side is at most max. */
  function draw(image, width, height, max) {
    var scale = Math.min(1, max / Math.max(width, height));
    var canvas = document.createElement('canvas');
    canvas.width = Math.max(1, Math.round(width * scale));
    canvas.height = Math.max(1, Math.round(height * scale));
    var g = canvas.getContext('2d', { willReadFrequently: true });
    g.fillStyle = '#fff';
    g.fillRect(0, 0, canvas.width, canvas.height);
    g.drawImage(image, 0, 0, canvas.width, canvas.height);
    return canvas;
  }

  function setUp(box) {
    var input = document.getElementById(box.getAttribute('data-scan-for'));
    if (!input || !input.form) { return; }
    var photo = box.querySelector('[data-scan-photo]');
    var cameraButton = box.querySelector('[data-scan-camera]');
    var video = box.querySelector('[data-scan-video]');
    var status = box.querySelector('[data-scan-status]');
    var stream = null;

    function found(text) {
      stop();
      input.value = text.trim();
      status.textContent = 'Read: ' + input.value;
      input.form.requestSubmit ? input.form.requestSubmit() : input.form.submit();
    }

    function stop() {
      if (stream) {
        stream.getTracks().forEach(function (t) { t.stop(); });
        stream = null;
      }
      video.hidden = true;
      cameraButton.textContent = 'Scan with the live camera';
    }

    photo.addEventListener('change', function () {
      var file = photo.files && photo.files[0];
      if (!file) { return; }
      status.textContent = 'Reading the photo\u2026';
      createImageBitmap(file).then(function (bitmap) {
        var text = decodePhoto(bitmap, bitmap.width, bitmap.height);
        if (bitmap.close) { bitmap.close(); }
        if (text) {
          found(text);
        } else {
          status.textContent = 'No QR or Data Matrix code found in the photo. Take it closer, straight on and in '
              + 'focus, or type the serial.';
        }
      }, function () {
        status.textContent = 'That file is not an image this browser can read.';
      });
    });

    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) { return; }
    cameraButton.hidden = false;
    cameraButton.addEventListener('click', function () {
      if (stream) { stop(); status.textContent = ''; return; }
      navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false }).then(function (s) {
        stream = s;
        video.srcObject = s;
        video.hidden = false;
        cameraButton.textContent = 'Stop the camera';
        status.textContent = 'Hold the label\'s code in the frame.';
        return video.play();
      }).then(function tick() {
        if (!stream) { return; }
        if (video.readyState >= 2 && video.videoWidth) {
          var text = decodePhoto(video, video.videoWidth, video.videoHeight);
          if (text) { found(text); return; }
        }
        setTimeout(tick, 400);
      }).catch(function () {
        stop();
        status.textContent = 'The camera is not available here; take a photo of the label instead.';
      });
    });
  }

  for (var i = 0; i < boxes.length; i++) {
    boxes[i].hidden = false;
    setUp(boxes[i]);
  }
})();
