// The door check-in page: camera (jsQR), photo or typed code
(function () {
  'use strict';
  var section = document.getElementById('checkin');
  var video = document.getElementById('video');
  var canvas = document.getElementById('canvas');
  var context = canvas.getContext('2d', {willReadFrequently: true});
  var result = document.getElementById('result');
  var busy = false, last = null, stream = null;

  function show(data) {
    result.hidden = false;
    result.className = data.result;
    document.getElementById('who').textContent = data.name || '';
    document.getElementById('details').hidden = data.result !== 'accepted';
    document.getElementById('message').textContent = data.message || '';
    document.getElementById('organisation').textContent = data.organisation || '';
    document.getElementById('category').textContent = data.category || '–';
    var list = document.getElementById('sessions');
    list.replaceChildren();
    (data.sessions || []).forEach(function (name) {
      var item = document.createElement('li');
      item.textContent = name;
      list.appendChild(item);
    });
    if (data.checked_in !== undefined) {
      document.getElementById('count').textContent = data.checked_in;
    }
  }

  function send(code) {
    busy = true;
    return fetch(section.dataset.url, {
      method: 'POST', credentials: 'same-origin',
      headers: {'Content-Type': 'application/json'},
      body: JSON.stringify({event: Number(section.dataset.event), code: code})
    }).then(function (response) {
      var type = response.headers.get('Content-Type') || '';
      if (type.indexOf('json') < 0) {
        return {result: 'refused',
          message: response.status + ' ' + response.statusText};
      }
      return response.json();
    }).then(show).catch(function (error) {
      show({result: 'refused', message: String(error)});
    }).finally(function () {
      busy = false;
    });
  }

  function decode(width, height) {
    var image = context.getImageData(0, 0, width, height);
    var found = jsQR(image.data, width, height);
    return found ? found.data : null;
  }

  function tick() {
    if (!stream) { return; }
    if (video.readyState === video.HAVE_ENOUGH_DATA && !busy) {
      canvas.width = video.videoWidth;
      canvas.height = video.videoHeight;
      context.drawImage(video, 0, 0);
      var code = decode(canvas.width, canvas.height);
      if (code && code !== last) {
        last = code;
        send(code);
        // the same badge held up again is checked again after a while
        setTimeout(function () { last = null; }, 3000);
      }
    }
    requestAnimationFrame(tick);
  }

  document.getElementById('scan').addEventListener('click', function () {
    if (stream) {
      stream.getTracks().forEach(function (track) { track.stop(); });
      stream = null;
      video.hidden = true;
      return;
    }
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      show({result: 'refused', message: section.dataset.noCamera});
      return;
    }
    navigator.mediaDevices.getUserMedia({video: {facingMode: 'environment'}})
      .then(function (media) {
        stream = media;
        video.srcObject = media;
        video.hidden = false;
        video.play();
        requestAnimationFrame(tick);
      }).catch(function () {
        show({result: 'refused', message: section.dataset.noCamera});
      });
  });

  document.getElementById('photo').addEventListener('change', function (event) {
    var file = event.target.files[0];
    if (!file) { return; }
    var image = new Image();
    image.onload = function () {
      canvas.width = image.naturalWidth;
      canvas.height = image.naturalHeight;
      context.drawImage(image, 0, 0);
      URL.revokeObjectURL(image.src);
      var code = decode(canvas.width, canvas.height);
      if (code) {
        send(code);
      } else {
        show({result: 'refused', message: section.dataset.noCode});
      }
      event.target.value = '';
    };
    image.src = URL.createObjectURL(file);
  });

  document.getElementById('code-form').addEventListener('submit', function (event) {
    event.preventDefault();
    var input = document.getElementById('code');
    send(input.value).then(function () {
      input.value = '';
      input.focus();
    });
  });
}());
