/*
 * Chat widget of the Bouwstenen-assistent. Embedding and every option: docs/widget.md.
 *
 *   <script src="https://chat.example.nl/widget/bouwstenen-widget.js"
 *           data-server-url="https://chat.example.nl" defer></script>
 *
 * - Talks to Rasa's socket.io channel (session_request / user_uttered / bot_uttered, plus
 *   erase_session) with socket.io-client, loaded from the same folder as this file (vendor/).
 * - The session id and the rendered conversation live in sessionStorage: a reload in the same
 *   tab continues the conversation, closing the tab or browser forgets it.
 * - All text is rendered as text (textContent). Only phone numbers, e-mail addresses and web
 *   addresses in the organisation's allowlist (config.json, from knowledge/organisation.yml)
 *   become links: tel:, mailto: and http(s) only.
 * - Lives in a shadow root, so the host page's styles cannot break it (and it cannot break them).
 */
(function () {
  "use strict";

  if (window.BouwstenenWidget) {
    return; // embedded twice: keep the first
  }

  var DEFAULT_COLOR = "#1b5e7b";
  var BUBBLE_BACKGROUND = "#eef1f4";
  var STORAGE_KEY = "bouwstenen-widget";
  var MAX_STORED_MESSAGES = 200;
  var ERASE_WAIT_MS = 3000;
  var DEFAULT_WELCOME =
    "Hoi! Ik ben de Bouwstenen-assistent: een chatbot, geen mens. Vertel in je eigen woorden wat " +
    "je kind doet, of hoe het met jou gaat. Ik vertel je welke bouwsteen van het Bouwstenenmodel " +
    "erbij past en wat je kunt doen. Dat is informatie, geen diagnose.";

  var script = document.currentScript || document.querySelector('script[src*="bouwstenen-widget.js"]');
  if (!script) {
    return;
  }
  var data = script.dataset || {};
  var scriptUrl = new URL(script.getAttribute("src"), document.baseURI);
  var base = scriptUrl.href.split(/[?#]/)[0].replace(/[^/]*$/, ""); // folder of this file

  var options = {
    serverUrl: webUrl(data.serverUrl) || scriptUrl.origin,
    socketPath: data.socketPath || "/socket.io",
    configUrl: webUrl(data.configUrl, base) || base + "config.json",
    title: data.title || "Bouwstenen-assistent",
    launcherText: data.launcherText || "Chat met de assistent",
    welcome: data.welcome || DEFAULT_WELCOME,
    primaryColor: readableColor(data.primaryColor),
    position: data.position === "left" ? "left" : "right",
    replyTimeoutMs: 1000 * positiveNumber(data.replyTimeout, 12),
    openAtStart: data.open === "true"
  };

  // --- small helpers ------------------------------------------------------------------------

  function webUrl(value, relativeTo) {
    if (!value) {
      return null;
    }
    try {
      var url = new URL(value, relativeTo || document.baseURI);
      return url.protocol === "http:" || url.protocol === "https:" ? url.href.replace(/\/$/, "") : null;
    } catch (e) {
      return null;
    }
  }

  function positiveNumber(value, fallback) {
    var number = parseFloat(value);
    return isFinite(number) && number > 0 ? number : fallback;
  }

  function luminance(hex) {
    var channels = [1, 3, 5].map(function (i) {
      var c = parseInt(hex.substr(i, 2), 16) / 255;
      return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2];
  }

  function contrast(a, b) {
    var la = luminance(a), lb = luminance(b);
    return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
  }

  /** The configured colour if white text on it, and it as link colour on a bot bubble, meet
   * WCAG 2.1 AA (4.5:1); otherwise the default colour. */
  function readableColor(value) {
    if (!value) {
      return DEFAULT_COLOR;
    }
    var hex = String(value).trim().toLowerCase();
    if (/^#[0-9a-f]{3}$/.test(hex)) {
      hex = "#" + hex[1] + hex[1] + hex[2] + hex[2] + hex[3] + hex[3];
    }
    if (!/^#[0-9a-f]{6}$/.test(hex)) {
      console.warn("Bouwstenen-widget: data-primary-color moet een kleur als #1b5e7b zijn; standaardkleur gebruikt.");
      return DEFAULT_COLOR;
    }
    if (contrast(hex, "#ffffff") < 4.5 || contrast(hex, BUBBLE_BACKGROUND) < 4.5) {
      console.warn("Bouwstenen-widget: data-primary-color " + hex + " heeft te weinig contrast (WCAG AA); standaardkleur gebruikt.");
      return DEFAULT_COLOR;
    }
    return hex;
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text !== undefined && text !== null) {
      node.textContent = text;
    }
    return node;
  }

  // --- state in sessionStorage (this tab only) ------------------------------------------------

  function emptyState() {
    return { server: options.serverUrl, sessionId: null, eraseId: null, open: false, messages: [] };
  }

  function loadState() {
    try {
      var stored = JSON.parse(window.sessionStorage.getItem(STORAGE_KEY) || "null");
      if (stored && stored.server === options.serverUrl && Array.isArray(stored.messages)) {
        return stored;
      }
    } catch (e) {
      // unreadable or storage blocked: start fresh
    }
    return emptyState();
  }

  function saveState() {
    state.messages = state.messages.slice(-MAX_STORED_MESSAGES);
    try {
      window.sessionStorage.setItem(STORAGE_KEY, JSON.stringify(state));
    } catch (e) {
      // storage full or blocked: the conversation still works, it just won't survive a reload
    }
  }

  var state = loadState();

  // --- organisation configuration (config.json) ---------------------------------------------

  var config = null; // filled by loadConfig; null means "no links, generic contact text"

  function loadConfig() {
    return fetch(options.configUrl, { credentials: "omit" })
      .then(function (r) {
        return r.ok ? r.json() : null;
      })
      .catch(function () {
        return null;
      })
      .then(function (json) {
        config = json && typeof json === "object" ? json : null;
      });
  }

  function contactSentence() {
    var contact = config && config.human_contact;
    if (!contact) {
      return "Wil je iemand spreken? Neem dan contact op met de organisatie via haar website.";
    }
    var ways = [];
    if (contact.phone) {
      ways.push("bel " + contact.phone);
    }
    if (contact.email) {
      ways.push("mail " + contact.email);
    }
    if (contact.url) {
      ways.push(contact.url);
    }
    return "Wil je iemand spreken? " + capitalise(ways.join(" of ")) + (contact.when ? " (" + contact.when + ")." : ".");
  }

  function urgentSentence() {
    var urgent = config && config.urgent_help && config.urgent_help[0];
    return urgent && urgent.phone ? " Direct gevaar? Bel " + urgent.phone + "." : "";
  }

  function capitalise(text) {
    return text ? text.charAt(0).toUpperCase() + text.slice(1) : text;
  }

  // --- text with allowlisted links ------------------------------------------------------------

  function normaliseUrl(value) {
    try {
      var url = new URL(/^www\./i.test(value) ? "https://" + value : value);
      if (url.protocol !== "http:" && url.protocol !== "https:") {
        return null;
      }
      return (url.host + url.pathname).toLowerCase().replace(/\/+$/, "") + url.search;
    } catch (e) {
      return null;
    }
  }

  function isDigit(ch) {
    return !!ch && ch >= "0" && ch <= "9";
  }

  /** Where allowlisted phone numbers, e-mail addresses and URLs occur in `text`. */
  function findLinks(text) {
    var links = (config && config.links) || {};
    var found = [];
    var lower = text.toLowerCase();

    (links.phones || []).forEach(function (phone) {
      if (!phone || !phone.text || !/^\+?\d+$/.test(phone.tel || "")) {
        return;
      }
      for (var at = text.indexOf(phone.text); at !== -1; at = text.indexOf(phone.text, at + 1)) {
        var end = at + phone.text.length;
        if (!isDigit(text.charAt(at - 1)) && !isDigit(text.charAt(end))) {
          found.push({ start: at, end: end, href: "tel:" + phone.tel });
        }
      }
    });

    (links.emails || []).forEach(function (email) {
      var needle = String(email || "").toLowerCase();
      if (!/^[^\s@]+@[^\s@]+$/.test(needle)) {
        return;
      }
      for (var at = lower.indexOf(needle); at !== -1; at = lower.indexOf(needle, at + 1)) {
        var end = at + needle.length;
        var before = lower.charAt(at - 1), after = lower.charAt(end);
        if (!/[\w.+-]/.test(before) && !/[\w-]/.test(after) && !(after === "." && /\w/.test(lower.charAt(end + 1)))) {
          found.push({ start: at, end: end, href: "mailto:" + email });
        }
      }
    });

    var allowed = {};
    (links.urls || []).forEach(function (url) {
      var key = normaliseUrl(url);
      if (key && webUrl(url)) {
        allowed[key] = url;
      }
    });
    var candidate = /\b(?:https?:\/\/|www\.)[^\s<>"']+/gi;
    var match;
    while ((match = candidate.exec(text)) !== null) {
      var shown = match[0].replace(/[.,;:!?)\]]+$/, "");
      var target = allowed[normaliseUrl(shown)];
      if (target) {
        found.push({ start: match.index, end: match.index + shown.length, href: target, external: true });
      }
    }

    found.sort(function (a, b) {
      return a.start - b.start || b.end - a.end;
    });
    var result = [], last = -1;
    found.forEach(function (link) {
      if (link.start >= last) {
        result.push(link);
        last = link.end;
      }
    });
    return result;
  }

  /** Appends `text` to `parent` as text nodes, with links only for allowlisted addresses. */
  function appendText(parent, text) {
    var position = 0;
    findLinks(text).forEach(function (link) {
      parent.appendChild(document.createTextNode(text.slice(position, link.start)));
      var a = el("a", "bw-link", text.slice(link.start, link.end));
      a.href = link.href; // built from the allowlist: tel:, mailto: or http(s) only
      if (link.external) {
        a.target = "_blank";
        a.rel = "noopener noreferrer";
      }
      parent.appendChild(a);
      position = link.end;
    });
    parent.appendChild(document.createTextNode(text.slice(position)));
  }

  // --- the DOM ----------------------------------------------------------------------------

  var host = el("div");
  host.id = "bouwstenen-widget";
  host.style.setProperty("visibility", "hidden"); // until the stylesheet is loaded
  var shadow = host.attachShadow ? host.attachShadow({ mode: "open" }) : host;

  var stylesheet = el("link");
  stylesheet.rel = "stylesheet";
  stylesheet.href = base + "bouwstenen-widget.css";
  stylesheet.addEventListener("load", function () {
    host.style.removeProperty("visibility");
  });
  stylesheet.addEventListener("error", function () {
    host.style.removeProperty("visibility");
  });

  var root = el("div", "bw-root bw-" + options.position);
  root.style.setProperty("--bw-primary", options.primaryColor);
  root.setAttribute("lang", "nl");

  var launcher = el("button", "bw-launcher");
  launcher.type = "button";
  launcher.setAttribute("aria-expanded", "false");
  launcher.setAttribute("aria-controls", "bw-panel");
  var launcherIcon = el("span", "bw-launcher-icon");
  launcherIcon.setAttribute("aria-hidden", "true");
  launcher.appendChild(launcherIcon);
  launcher.appendChild(el("span", "bw-launcher-text", options.launcherText));

  var panel = el("section", "bw-panel");
  panel.id = "bw-panel";
  panel.setAttribute("role", "dialog");
  panel.setAttribute("aria-labelledby", "bw-title");
  panel.setAttribute("aria-describedby", "bw-bot-label");
  panel.hidden = true;

  var header = el("header", "bw-header");
  var heading = el("div", "bw-heading");
  var title = el("h2", "bw-title", options.title);
  title.id = "bw-title";
  var botLabel = el("p", "bw-bot-label", "Chatbot, geen mens");
  botLabel.id = "bw-bot-label";
  heading.appendChild(title);
  heading.appendChild(botLabel);
  var eraseButton = el("button", "bw-erase", "Wis gesprek");
  eraseButton.type = "button";
  var closeButton = el("button", "bw-close");
  closeButton.type = "button";
  closeButton.setAttribute("aria-label", "Chat sluiten");
  var closeIcon = el("span", null, "\u00d7");
  closeIcon.setAttribute("aria-hidden", "true");
  closeButton.appendChild(closeIcon);
  header.appendChild(heading);
  header.appendChild(eraseButton);
  header.appendChild(closeButton);

  var human = el("p", "bw-human");
  var status = el("p", "bw-status");
  status.setAttribute("role", "status");
  status.hidden = true;

  var messages = el("ol", "bw-messages");
  messages.setAttribute("aria-label", "Gesprek");
  messages.tabIndex = 0; // scrollable by keyboard

  var typing = el("div", "bw-typing");
  typing.hidden = true;
  typing.setAttribute("aria-hidden", "true");
  typing.appendChild(el("span", "bw-dot"));
  typing.appendChild(el("span", "bw-dot"));
  typing.appendChild(el("span", "bw-dot"));
  typing.appendChild(el("span", "bw-typing-text", "De chatbot typt\u2026"));

  var live = el("div", "bw-live bw-sr-only");
  live.setAttribute("aria-live", "polite");
  live.setAttribute("aria-atomic", "false");

  var form = el("form", "bw-form");
  form.noValidate = true;
  var inputLabel = el("label", "bw-sr-only", "Je bericht aan de chatbot");
  inputLabel.htmlFor = "bw-input";
  var input = el("textarea", "bw-input");
  input.id = "bw-input";
  input.rows = 2;
  input.placeholder = "Typ je bericht\u2026";
  input.setAttribute("autocomplete", "off");
  var sendButton = el("button", "bw-send", "Verstuur");
  sendButton.type = "submit";
  form.appendChild(inputLabel);
  form.appendChild(input);
  form.appendChild(sendButton);

  var footer = el("footer", "bw-footer");
  var privacy = el("p", "bw-privacy");
  var credit = el("p", "bw-credit");
  footer.appendChild(privacy);
  footer.appendChild(credit);

  panel.appendChild(header);
  panel.appendChild(human);
  panel.appendChild(status);
  panel.appendChild(messages);
  panel.appendChild(typing);
  panel.appendChild(live);
  panel.appendChild(form);
  panel.appendChild(footer);
  root.appendChild(launcher);
  root.appendChild(panel);
  shadow.appendChild(stylesheet);
  shadow.appendChild(root);

  function renderOrganisation() {
    human.textContent = "";
    var contact = config && config.human_contact;
    if (contact && (contact.phone || contact.email || contact.url)) {
      human.appendChild(document.createTextNode("Liever een mens? "));
      var ways = [];
      (contact.phones || []).slice(0, 1).forEach(function (p) {
        ways.push({ prefix: "Bel ", text: p.text, href: "tel:" + p.tel });
      });
      if (contact.email) {
        ways.push({ prefix: ways.length ? "mail " : "Mail ", text: contact.email, href: "mailto:" + contact.email });
      }
      if (!ways.length && contact.url) {
        ways.push({ prefix: "Kijk op ", text: contact.url, href: contact.url, external: true });
      }
      ways.forEach(function (way, i) {
        if (i) {
          human.appendChild(document.createTextNode(" of "));
        }
        human.appendChild(document.createTextNode(way.prefix));
        var a = el("a", "bw-link", way.text);
        a.href = way.href;
        if (way.external) {
          a.target = "_blank";
          a.rel = "noopener noreferrer";
        }
        human.appendChild(a);
      });
      human.appendChild(document.createTextNode(contact.when ? " (" + contact.when + ")." : "."));
    } else {
      human.textContent = "Liever een mens? Neem contact op met de organisatie.";
    }

    privacy.textContent = "";
    privacy.appendChild(document.createTextNode(
      "Typ liever geen namen of adressen. Met \u2018Wis gesprek\u2019 haal je dit gesprek ook van onze server weg. "));
    if (config && config.privacy_url && webUrl(config.privacy_url)) {
      var link = el("a", "bw-link", "Privacyverklaring");
      link.href = config.privacy_url;
      link.target = "_blank";
      link.rel = "noopener noreferrer";
      privacy.appendChild(link);
    }
    credit.textContent = (config && config.credit) || "Gebaseerd op het Bouwstenenmodel van Truus Bakker-van Zeil";
  }

  // --- messages ---------------------------------------------------------------------------

  function messageNode(message) {
    var item = el("li", "bw-msg bw-" + message.from);
    var who = message.from === "user" ? "Jij: " : message.from === "bot" ? "Chatbot: " : "Let op: ";
    item.appendChild(el("span", "bw-sr-only", who));
    var bubble = el("div", "bw-bubble");
    appendText(bubble, String(message.text || ""));
    item.appendChild(bubble);
    var replies = Array.isArray(message.quickReplies) ? message.quickReplies : [];
    if (replies.length) {
      var group = el("div", "bw-quick");
      group.setAttribute("role", "group");
      group.setAttribute("aria-label", "Kies een antwoord");
      replies.forEach(function (reply) {
        var button = el("button", "bw-quick-reply", reply.title);
        button.type = "button";
        button.addEventListener("click", function () {
          sendMessage(reply.payload, reply.title);
        });
        group.appendChild(button);
      });
      item.appendChild(group);
    }
    return item;
  }

  function scrollToEnd() {
    messages.scrollTop = messages.scrollHeight;
  }

  function renderAll() {
    messages.textContent = "";
    messages.appendChild(messageNode({ from: "bot", text: options.welcome }));
    state.messages.forEach(function (message) {
      messages.appendChild(messageNode(message));
    });
    scrollToEnd();
  }

  function announce(prefix, text) {
    live.appendChild(el("p", null, prefix + text));
  }

  /** Adds a message to the screen (and, for bot and user messages, to this tab's history). */
  function addMessage(message) {
    if (message.from !== "notice") {
      state.messages.push(message);
      saveState();
    }
    messages.appendChild(messageNode(message));
    if (message.from === "bot") {
      announce("Chatbot: ", message.text);
    } else if (message.from === "notice") {
      announce("Let op: ", message.text);
    }
    scrollToEnd();
  }

  function dropQuickReplies() {
    state.messages.forEach(function (message) {
      delete message.quickReplies;
    });
    var groups = messages.querySelectorAll(".bw-quick");
    for (var i = 0; i < groups.length; i++) {
      groups[i].parentNode.removeChild(groups[i]);
    }
  }

  function notice(text) {
    addMessage({ from: "notice", text: text });
  }

  function unreachableText() {
    return "De chat is nu niet bereikbaar. Je bericht is niet verstuurd; probeer het later nog eens. " +
      contactSentence() + urgentSentence();
  }

  function noReplyText() {
    return "Er komt nu geen antwoord van de chatbot. Probeer het zo nog eens. " + contactSentence() + urgentSentence();
  }

  // --- connection -------------------------------------------------------------------------

  var socket = null;
  var vendorLoading = false;
  var unreachable = false; // the last connection attempt failed
  var sessionReady = false; // the server confirmed our session id on this connection
  var queue = []; // messages typed before the session was confirmed
  var replyTimer = null;
  var eraseTimer = null;

  function setStatus(text) {
    status.textContent = text || "";
    status.hidden = !text;
  }

  function connect() {
    if (socket || vendorLoading) {
      return;
    }
    if (window.io) {
      startSocket();
      return;
    }
    vendorLoading = true;
    var vendor = document.createElement("script");
    vendor.src = base + "vendor/socket.io.min.js";
    vendor.async = true;
    vendor.addEventListener("load", function () {
      vendorLoading = false;
      startSocket();
    });
    vendor.addEventListener("error", function () {
      vendorLoading = false;
      markUnreachable();
    });
    document.head.appendChild(vendor);
  }

  function markUnreachable() {
    var first = !unreachable;
    unreachable = true;
    sessionReady = false;
    setStatus("Geen verbinding met de chat. We proberen het opnieuw\u2026");
    if (first && (queue.length || replyTimer)) {
      clearReplyWait();
      queue = [];
      notice(unreachableText());
    }
  }

  function requestSession() {
    sessionReady = false;
    socket.emit("session_request", { session_id: state.eraseId || state.sessionId || null });
  }

  function startSocket() {
    if (typeof window.io !== "function") {
      markUnreachable();
      return;
    }
    socket = window.io(options.serverUrl, {
      path: options.socketPath,
      withCredentials: false,
      reconnectionDelayMax: 5000
    });
    socket.on("connect", function () {
      unreachable = false;
      setStatus("");
      requestSession();
    });
    socket.on("connect_error", markUnreachable);
    socket.on("disconnect", function () {
      sessionReady = false;
    });
    socket.on("session_confirm", function (confirmed) {
      var id = typeof confirmed === "string" ? confirmed : confirmed && confirmed.session_id;
      if (typeof id !== "string") {
        return;
      }
      if (state.eraseId) {
        if (id === state.eraseId) {
          eraseOnServer(); // "Wis gesprek" was pressed while offline: finish it now
          return;
        }
        state.eraseId = null;
      }
      if (state.sessionId && id !== state.sessionId && state.messages.length) {
        // The server no longer knows this conversation: start clean, as the server does.
        state.messages = [];
        renderAll();
      }
      state.sessionId = id;
      saveState();
      sessionReady = true;
      var waiting = queue;
      queue = [];
      waiting.forEach(emitMessage);
    });
    socket.on("session_erased", function () {
      clearTimeout(eraseTimer);
      state.eraseId = null;
      state.sessionId = null;
      saveState();
      requestSession();
    });
    socket.on("bot_uttered", function (message) {
      if (!message || typeof message !== "object") {
        return;
      }
      var text = typeof message.text === "string" ? message.text : "";
      var replies = Array.isArray(message.quick_replies) ? message.quick_replies : [];
      replies = replies.filter(function (r) {
        return r && typeof r.title === "string" && typeof r.payload === "string";
      }).map(function (r) {
        return { title: r.title, payload: r.payload };
      });
      if (!text && !replies.length) {
        return; // images, custom payloads: not shown by this widget
      }
      clearReplyWait();
      addMessage({ from: "bot", text: text, quickReplies: replies });
    });
  }

  function eraseOnServer() {
    sessionReady = false;
    socket.emit("erase_session");
    clearTimeout(eraseTimer);
    eraseTimer = setTimeout(function () {
      // No confirmation (an older server?): carry on with a new session all the same.
      state.eraseId = null;
      state.sessionId = null;
      saveState();
      if (socket && socket.connected) {
        requestSession();
      }
    }, ERASE_WAIT_MS);
  }

  function emitMessage(text) {
    socket.emit("user_uttered", {
      message: text,
      session_id: state.sessionId,
      customData: { language: "nl", page: window.location.pathname }
    });
  }

  function waitForReply() {
    clearReplyWait();
    typing.hidden = false;
    scrollToEnd();
    replyTimer = setTimeout(function () {
      replyTimer = null;
      typing.hidden = true;
      queue = [];
      notice(noReplyText());
    }, options.replyTimeoutMs);
  }

  function clearReplyWait() {
    clearTimeout(replyTimer);
    replyTimer = null;
    typing.hidden = true;
  }

  /** Sends `text` to the bot and shows `shown` (default: the text) as the parent's message.
   * Returns false when nothing was sent (the text stays in the input field then). */
  function sendMessage(text, shown) {
    text = String(text || "").trim();
    if (!text) {
      return false;
    }
    if (unreachable || !socket && !vendorLoading) {
      notice(unreachableText());
      connect();
      return false;
    }
    live.textContent = "";
    dropQuickReplies();
    addMessage({ from: "user", text: shown || text });
    if (socket && socket.connected && sessionReady) {
      emitMessage(text);
    } else {
      queue.push(text);
    }
    waitForReply();
    input.focus();
    return true;
  }

  // --- opening, closing, erasing ----------------------------------------------------------

  function isOpen() {
    return !panel.hidden;
  }

  function open() {
    panel.hidden = false;
    root.classList.add("bw-open");
    launcher.setAttribute("aria-expanded", "true");
    state.open = true;
    saveState();
    connect();
    scrollToEnd();
    input.focus();
  }

  function close() {
    panel.hidden = true;
    root.classList.remove("bw-open");
    launcher.setAttribute("aria-expanded", "false");
    state.open = false;
    saveState();
    launcher.focus();
  }

  function erase() {
    clearReplyWait();
    queue = [];
    live.textContent = "";
    var previous = state.sessionId;
    state.messages = [];
    state.sessionId = null;
    if (socket && socket.connected && sessionReady) {
      eraseOnServer();
    } else if (previous) {
      state.eraseId = previous; // erased on the server as soon as we are connected again
    }
    saveState();
    renderAll();
    announce("", "Het gesprek is gewist.");
    input.value = "";
    input.focus();
  }

  launcher.addEventListener("click", function () {
    if (isOpen()) {
      close();
    } else {
      open();
    }
  });
  closeButton.addEventListener("click", close);
  eraseButton.addEventListener("click", erase);
  panel.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      event.preventDefault();
      close();
    }
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (sendMessage(input.value)) {
      input.value = "";
    }
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      if (sendMessage(input.value)) {
        input.value = "";
      }
    }
  });

  function start() {
    document.body.appendChild(host);
    renderAll();
    loadConfig().then(function () {
      renderOrganisation();
      renderAll(); // links in the history need the allowlist
    });
    renderOrganisation();
    if (state.open || options.openAtStart) {
      panel.hidden = false;
      root.classList.add("bw-open");
      launcher.setAttribute("aria-expanded", "true");
      connect();
    } else if (state.eraseId) {
      connect();
    }
  }

  window.BouwstenenWidget = { open: open, close: close, erase: erase, options: options };

  if (document.body) {
    start();
  } else {
    document.addEventListener("DOMContentLoaded", start);
  }
})();
