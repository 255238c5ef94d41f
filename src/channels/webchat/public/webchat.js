// The web chat page: talks to api/webchat/*, renders every text with textContent.
// Every address is relative to the page, so a ward's site can serve it under a path (https://site/tinbao/) through its proxy.
(function () {
  'use strict';
  var boot = JSON.parse(document.getElementById('bootstrap').textContent);
  var S = boot.strings;
  var log = document.getElementById('log');
  var statusLine = document.getElementById('status');
  var form = document.getElementById('composer');
  var input = document.getElementById('text');
  var fileInput = document.getElementById('file');
  // The session is an HttpOnly cookie the page never sees; writes carry the CSRF token the session call returns.
  var csrfToken = null;
  var after = 0;
  // Ids of what this page sent and showed already: the transcript's copy of them is not shown twice.
  var shown = {};
  var polling = false;
  // A desk locked for inactivity: nothing of it is shown, and the page stops asking until the officer types /trucban <code>.
  var locked = false;

  document.getElementById('switch-language').addEventListener('click', function (e) {
    e.preventDefault();
    location.search = '?lang=' + (boot.lang === 'vi' ? 'en' : 'vi');
  });

  function newId() {
    var bytes = new Uint8Array(12);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ('0' + b.toString(16)).slice(-2); }).join('');
  }

  // The server names its files from the root (/api/webchat/…); under a ward site's path they are relative to the page.
  function pageRelative(url) {
    return url.charAt(0) === '/' ? url.slice(1) : url;
  }

  function api(method, url, body, contentType) {
    // What the server says itself (a limit, a locked desk) comes in the page's language, not the browser's.
    var options = { method: method, headers: { 'Accept-Language': boot.lang }, credentials: 'same-origin' };
    if (method !== 'GET' && csrfToken) options.headers['X-CSRF-Token'] = csrfToken;
    if (body !== undefined) {
      options.headers['Content-Type'] = contentType || 'application/json';
      options.body = contentType ? body : JSON.stringify(body);
    }
    return fetch(url, options).then(function (res) {
      if (!res.ok) {
        var error = new Error('HTTP ' + res.status);
        error.status = res.status;
        return res.json().catch(function () { return {}; }).then(function (body) {
          // Too many requests: the server says so politely; the page shows it.
          if (res.status === 429 && body && body.message) showStatus(body.message);
          if (res.status === 401 && body && body.error === 'desk_locked') lock(body.message);
          throw error;
        });
      }
      return res.json();
    });
  }

  function showStatus(text) {
    statusLine.textContent = text || '';
    statusLine.hidden = !text;
  }

  function lock(message) {
    locked = true;
    while (log.firstChild) log.removeChild(log.firstChild);
    after = 0;
    shown = {};
    showStatus(message);
  }

  function bubble(who, text) {
    var div = document.createElement('div');
    div.className = 'msg ' + who;
    div.textContent = text;
    log.appendChild(div);
    scrollToEnd();
    return div;
  }

  // After the message's buttons, links and pictures are in: on a phone, each step's buttons must be in view.
  function scrollToEnd() {
    log.scrollTop = log.scrollHeight;
  }

  function disableButtons() {
    log.querySelectorAll('.buttons button, .phone input, .phone button').forEach(function (b) { b.disabled = true; });
  }

  // The web's form of Telegram's contact button: a phone field under the question; the number is sent as typed text.
  function phoneField() {
    var form = document.createElement('form');
    form.className = 'phone';
    var field = document.createElement('input');
    field.type = 'tel';
    field.autocomplete = 'tel';
    field.setAttribute('inputmode', 'tel');
    field.setAttribute('aria-label', S.phone_label);
    field.placeholder = S.phone_placeholder;
    var submit = document.createElement('button');
    submit.type = 'submit';
    submit.textContent = S.phone_send;
    form.appendChild(field);
    form.appendChild(submit);
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      var number = field.value.trim();
      if (!number) return;
      disableButtons();
      bubble('me', number);
      send({ text: number });
    });
    return form;
  }

  function render(message) {
    if (message.own) {
      if (!shown[message.own]) bubble('me', message.text);
      return;
    }
    // An edit (a desk card whose status changed) replaces the message in place, as in Telegram.
    var old = message.replaces ? log.querySelector('[data-seq="' + message.replaces + '"]') : null;
    var div = bubble('bot', message.text);
    div.setAttribute('data-seq', String(message.replaces || message.seq));
    if (old) old.replaceWith(div);
    else if (message.replaces) { div.remove(); return; }
    if (message.phoneField) div.appendChild(phoneField());
    var rows = message.buttons.slice();
    // "📍 Send my location" first, where the step asks where: the browser's location, with the resident's permission.
    if (message.askLocation) rows.unshift([{ label: message.askLocation, locate: true }]);
    if (message.quickReplies.length) rows.push(message.quickReplies.map(function (q) { return { label: q, text: q }; }));
    if (rows.length) {
      var box = document.createElement('div');
      box.className = 'buttons';
      rows.forEach(function (row) {
        var r = document.createElement('div');
        r.className = 'row';
        row.forEach(function (b) {
          var btn = document.createElement('button');
          btn.type = 'button';
          btn.textContent = b.label;
          btn.addEventListener('click', function () {
            if (b.locate) return shareLocation(disableButtons);
            disableButtons();
            bubble('me', b.label);
            send(b.text !== undefined ? { text: b.text } : { button: b.payload, label: b.label });
          });
          r.appendChild(btn);
        });
        box.appendChild(r);
      });
      div.appendChild(box);
    }
    if (message.location) {
      var pin = document.createElement('a');
      pin.href = 'https://www.openstreetmap.org/?mlat=' + message.location.lat + '&mlon=' + message.location.lon;
      pin.target = '_blank';
      pin.rel = 'noopener';
      pin.textContent = S.map_pin + ' ' + message.location.lat + ', ' + message.location.lon;
      div.appendChild(pin);
    }
    message.attachments.forEach(function (a) {
      var link = document.createElement('a');
      link.href = pageRelative(a.url);
      link.target = '_blank';
      link.textContent = '📎 ' + (a.fileName || a.kind);
      div.appendChild(link);
      if (a.kind === 'photo' && link.getAttribute('href').indexOf('api/webchat/files/') === 0) {
        var img = document.createElement('img');
        img.src = link.href;
        img.alt = a.fileName || '';
        img.className = 'attachment-image';
        img.addEventListener('load', scrollToEnd);
        div.appendChild(img);
      }
    });
    scrollToEnd();
  }

  function poll() {
    if (polling || locked || !csrfToken) return Promise.resolve();
    polling = true;
    return api('GET', 'api/webchat/messages?after=' + after)
      .then(function (res) {
        showStatus('');
        res.messages.forEach(function (m) { after = Math.max(after, m.seq); render(m); });
      })
      .catch(function (error) { if (!error || (error.status !== 429 && !locked)) showStatus(S.connection_lost); })
      .then(function () { polling = false; });
  }

  // A message the server could not record (it answered 503, or the network failed) is sent again with the same id,
  // so it is handled once whichever attempt got through; the status line says we are retrying.
  function send(body, attempt) {
    body.id = body.id || newId();
    // Once a locked desk opens, the whole transcript comes back in order, this message with it.
    if (!locked) shown[body.id] = true;
    attempt = attempt || 0;
    return api('POST', 'api/webchat/messages', body)
      .then(function () { locked = false; showStatus(''); return poll(); })
      .catch(function (error) {
        // A refusal of the message itself (4xx) is not retried; only the server or the network failing is.
        if (error && error.status && error.status < 500 && error.status !== 429) return;
        showStatus(S.connection_lost);
        if (attempt < 20) return new Promise(function (resolve) { setTimeout(resolve, Math.min(1000 * Math.pow(2, attempt), 15000)); }).then(function () { return send(body, attempt + 1); });
      });
  }

  form.addEventListener('submit', function (e) {
    e.preventDefault();
    var text = input.value;
    if (!text.trim()) return;
    input.value = '';
    if (!locked) bubble('me', text);
    send({ text: text });
  });

  // A button, not a label around the hidden input: it is reached with Tab and opened with Enter like every other control.
  document.getElementById('attach').addEventListener('click', function () { fileInput.click(); });

  fileInput.addEventListener('change', function () {
    var file = fileInput.files && fileInput.files[0];
    if (!file) return;
    bubble('me', '📎 ' + file.name);
    fileInput.value = '';
    // Over the limit: said in the chat at once, in the bot's words, instead of sending megabytes to be refused.
    if (file.size > boot.maxUploadBytes) {
      bubble('bot', S.upload_too_large);
      return;
    }
    showStatus(S.uploading);
    var uploadId = newId();
    shown[uploadId] = true;
    var url = 'api/webchat/upload?id=' + uploadId + '&name=' + encodeURIComponent(file.name);
    api('POST', url, file, file.type || 'application/octet-stream')
      .then(function () { showStatus(''); return poll(); })
      .catch(function (error) {
        if (error && error.status === 413) { showStatus(''); bubble('bot', S.upload_too_large); } else showStatus(S.connection_lost);
      });
  });

  // The browser's own location, with the resident's permission; a refusal says what to do instead.
  function shareLocation(onShared) {
    if (!navigator.geolocation) { showStatus(S.location_failed); return; }
    navigator.geolocation.getCurrentPosition(function (position) {
      var lat = Math.round(position.coords.latitude * 1e6) / 1e6;
      var lon = Math.round(position.coords.longitude * 1e6) / 1e6;
      showStatus('');
      if (onShared) onShared();
      var pin = S.map_pin + ' ' + lat + ', ' + lon;
      bubble('me', pin);
      send({ location: { lat: lat, lon: lon }, label: pin });
    }, function () { showStatus(S.location_failed); }, { enableHighAccuracy: true, timeout: 15000 });
  }

  document.getElementById('locate').addEventListener('click', function () { shareLocation(); });

  function begin() {
    after = 0;
    // The language link (?lang=…) switches the bot too: it says so, and what comes next, in that language.
    var chosen = /[?&]lang=(vi|en)\b/.exec(location.search);
    // A self-management model's link (?mohinh=MH-…): the resident is counted under that model, once; the code then leaves the address.
    var model = /[?&]mohinh=(MH-?[A-Za-z0-9]{6})\b/i.exec(location.search);
    if (model) history.replaceState(null, '', location.pathname + (chosen ? '?lang=' + chosen[1] : ''));
    poll().then(function () {
      var next = chosen ? send({ text: '/ngonngu ' + chosen[1], quiet: true }) : Promise.resolve();
      if (model) next.then(function () { send({ text: '/start ' + model[1], quiet: true }); });
      else if (!chosen && after === 0) send({ text: '/start', quiet: true });
    });
    setInterval(poll, 1500);
  }

  api('POST', 'api/webchat/sessions').then(function (res) {
    csrfToken = res.csrfToken;
    begin();
  }, function () { showStatus(S.connection_lost); });
})();
