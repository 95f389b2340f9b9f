// Triage card for helpline staff. Everything the parent wrote is rendered as text (DOM APIs,
// textContent); nothing from a card ever goes through innerHTML.
"use strict";

(function () {
  const $ = (id) => document.getElementById(id);
  let current = null; // the card on screen

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  function score(value) {
    return value.toFixed(2).replace(".", ",");
  }

  function join(words) {
    return words.length <= 1 ? words.join("") : words.slice(0, -1).join(", ") + " en " + words[words.length - 1];
  }

  function showError(message) {
    const error = $("error");
    error.textContent = message;
    error.hidden = !message;
  }

  async function request(url, options) {
    showError("");
    // Never leave the previous case on screen while (or after failing) loading another.
    $("card").hidden = true;
    current = null;
    let response;
    try {
      response = await fetch(url, Object.assign({ credentials: "same-origin", cache: "no-store" }, options));
    } catch (e) {
      showError("De server is niet bereikbaar. Probeer het opnieuw.");
      return null;
    }
    let body = null;
    try {
      body = await response.json();
    } catch (e) {
      body = null;
    }
    if (response.status === 401) {
      showError((body && body.error) || "Geen toegang. Log opnieuw in.");
      return null;
    }
    if (!response.ok) {
      showError((body && body.error) || "Er ging iets mis (" + response.status + ").");
      return null;
    }
    return body;
  }

  // The message with the recognised words marked. Highlights may overlap: the text is cut at
  // every start and end, and each piece is marked with the signals that cover it.
  function renderMessage(message) {
    const item = el("li", "message");
    if (!message.counted) item.appendChild(el("span", "tag", "geen beschrijving, telt niet mee"));
    if (message.risk) item.appendChild(el("span", "tag tag-risk", "risico"));
    const text = el("p", "message-text");
    const marks = message.highlights || [];
    const cuts = new Set([0, message.text.length]);
    marks.forEach((h) => { cuts.add(h.start); cuts.add(h.end); });
    const points = Array.from(cuts).sort((a, b) => a - b);
    for (let i = 0; i + 1 < points.length; i++) {
      const a = points[i], b = points[i + 1];
      const piece = message.text.slice(a, b);
      const covering = marks.filter((h) => h.start <= a && h.end >= b && h.end > h.start);
      if (!covering.length) {
        text.appendChild(document.createTextNode(piece));
        continue;
      }
      const kind = covering.some((h) => h.status === "risk") ? "risk"
        : covering.some((h) => h.status === "present") ? "present" : "set-aside";
      const mark = el("mark", "hl " + kind, piece);
      mark.dataset.signals = covering.map((h) => h.signal_id || "risico").join(" ");
      mark.title = covering.map((h) => h.label + " (" + statusWords(h.status) + ")").join("; ");
      text.appendChild(mark);
    }
    item.appendChild(text);
    return item;
  }

  const STATUS = {
    present: "telt mee",
    denied: "ontkend",
    past: "voorbij",
    other_person: "over iemand anders",
    not_described: "geen beschrijving",
    risk: "risico",
  };
  function statusWords(status) {
    return STATUS[status] || status;
  }

  function renderSignal(signal, card, setAside) {
    const item = el("li", "signal");
    item.dataset.signal = signal.id;
    item.appendChild(el("strong", null, signal.label));
    if (signal.via === "similarity") {
      // A guess of the similarity fallback: no words of its own, so what it is like.
      item.appendChild(document.createTextNode(" \u2013 lijkt op \u201c"));
      item.appendChild(el("q", "similar", signal.similar_to));
      item.appendChild(document.createTextNode("\u201d (gelijkenis, geen letterlijke woorden)"));
    } else {
      item.appendChild(document.createTextNode(" \u2013 \u201c"));
      item.appendChild(el("q", "words", signal.match));
      item.appendChild(document.createTextNode("\u201d"));
    }
    const facts = [];
    if (card.messages.length > 1) facts.push("bericht " + (signal.message + 1));
    facts.push("bouwsteen " + join(signal.bouwstenen.map(String)));
    if (setAside) facts.push(signal.status_tekst);
    else if (card.risk) facts.push("niet getrieerd");
    else if (signal.weight === 2) facts.push("telt dubbel: hier gaat het bericht vooral over");
    else facts.push(signal.weight === 1 ? "telt volledig" : "telt half (eerder bericht)");
    item.appendChild(el("span", "facts", " (" + facts.join("; ") + ")"));
    return item;
  }

  function renderBlock(block, card) {
    const item = el("li", "block");
    item.dataset.block = String(block.bouwsteen);
    if (block.bouwsteen === card.start_bouwsteen) item.classList.add("start-block");
    const head = el("div", "block-head");
    head.appendChild(el("span", "block-title", block.titel));
    const meter = document.createElement("meter");
    meter.min = 0; meter.max = 1; meter.value = block.score;
    meter.setAttribute("aria-label", "score");
    head.appendChild(meter);
    head.appendChild(el("span", "score", score(block.score)));
    if (block.bouwsteen === card.start_bouwsteen) head.appendChild(el("span", "tag tag-start", "hier begint steun"));
    item.appendChild(head);

    const says = block.what_the_model_says;
    item.appendChild(el("p", "short", says.short));
    const details = el("details", "model");
    details.appendChild(el("summary", null, "Wat het model zegt"));
    const dl = el("dl");
    [["Als er een gat is (" + says.problem_pole.name + ")", says.problem_pole.summary],
     ["Gedrag van het kind", says.child_behaviour],
     ["Gedrag van de ouder", says.parent_behaviour],
     ["Wisselwerking", says.interaction],
     ["Als het goed gaat (" + says.healthy_pole.name + ")", says.healthy_pole.summary]]
      .filter((pair) => pair[1])
      .forEach((pair) => { dl.appendChild(el("dt", null, pair[0])); dl.appendChild(el("dd", null, pair[1])); });
    details.appendChild(dl);
    item.appendChild(details);

    const neighbours = join(block.neighbours.map((n) => "bouwsteen " + n));
    item.appendChild(el("p", "questions-title", "Vervolgvragen (onderscheid met " + neighbours + "):"));
    const questions = el("ul", "questions");
    block.follow_up_questions.forEach((q) => questions.appendChild(el("li", null, q)));
    item.appendChild(questions);
    return item;
  }

  function render(card) {
    current = card;
    $("note").textContent = card.note;
    $("credit").textContent = card.credit;
    $("source").textContent = card.source && card.source.type === "gesprek"
      ? "Gesprek " + card.source.id + " (" + card.messages.length + " berichten van de ouder)"
      : "Geplakte tekst";

    const risk = $("risk");
    risk.hidden = !card.risk;
    $("no-risk").hidden = !!card.risk;
    clear($("risk-contacts"));
    if (card.risk) {
      const labels = Array.from(new Set(card.risks.map((r) => r.label)));
      $("risk-title").textContent = "RISICO: " + join(labels);
      $("risk-status").textContent = card.status;
      card.risk_contacts.forEach((c) => {
        const li = el("li");
        li.appendChild(el("strong", null, c.name + ": "));
        li.appendChild(document.createTextNode([c.phone, c.email, c.url].filter(Boolean).join(", ")));
        li.appendChild(el("span", "muted", " (" + c.when + ")"));
        $("risk-contacts").appendChild(li);
      });
    }

    clear($("messages"));
    card.messages.forEach((m) => $("messages").appendChild(renderMessage(m)));

    clear($("signals"));
    card.signals.forEach((s) => $("signals").appendChild(renderSignal(s, card, false)));
    $("no-signals").hidden = card.signals.length > 0;

    clear($("set-aside"));
    card.set_aside.forEach((s) => $("set-aside").appendChild(renderSignal(s, card, true)));
    $("set-aside-section").hidden = card.set_aside.length === 0;

    clear($("blocks"));
    card.bouwstenen.forEach((b) => $("blocks").appendChild(renderBlock(b, card)));
    const hasBlocks = card.bouwstenen.length > 0;
    $("status").textContent = card.risk ? "Niet getrieerd vanwege het risico." : (card.status || "");
    $("status").hidden = !$("status").textContent;
    $("start").hidden = !hasBlocks;
    $("pyramid").hidden = !hasBlocks;
    if (hasBlocks) {
      $("start").textContent = "Zekerheid: " + card.confidence + ". Begin bij bouwsteen " +
        card.start_bouwsteen + " (de laagste in beeld).";
      $("pyramid").textContent = card.pyramid_note;
    }
    $("case-text").value = card.as_text;
    $("copied").textContent = "";
    $("card").hidden = false;
    $("card").scrollIntoView({ block: "start" });
  }

  async function copyText() {
    if (!current) return;
    const area = $("case-text");
    area.value = current.as_text;
    try {
      await navigator.clipboard.writeText(current.as_text);
      $("copied").textContent = "Gekopieerd.";
    } catch (e) {
      $("case-text-details").open = true;
      area.focus();
      area.select();
      $("copied").textContent = "Kopiëren lukte niet automatisch: de tekst staat hieronder geselecteerd.";
    }
  }

  function downloadJson() {
    if (!current) return;
    const blob = new Blob([JSON.stringify(current, null, 2)], { type: "application/json" });
    const url = URL.createObjectURL(blob);
    const link = document.createElement("a");
    const stamp = new Date().toISOString().slice(0, 16).replace(/[:T]/g, "-");
    link.href = url;
    link.download = "triagekaart-" + stamp + ".json";
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  }

  document.addEventListener("DOMContentLoaded", () => {
    $("text-form").addEventListener("submit", async (event) => {
      event.preventDefault();
      const text = $("text").value;
      if (!text.trim()) { showError("Plak eerst wat de ouder schreef."); return; }
      const card = await request("/api/card", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ text: text }),
      });
      if (card) render(card);
    });
    $("conversation-form").addEventListener("submit", async (event) => {
      event.preventDefault();
      const id = $("conversation-id").value.trim();
      if (!id) { showError("Vul een conversatie-id in."); return; }
      const card = await request("/api/conversation/" + encodeURIComponent(id), { method: "GET" });
      if (card) render(card);
    });
    $("copy-text").addEventListener("click", copyText);
    $("download-json").addEventListener("click", downloadJson);
    $("print").addEventListener("click", () => window.print());
    // Printed cards show everything the model says.
    window.addEventListener("beforeprint", () => {
      document.querySelectorAll("details.model").forEach((d) => { d.dataset.wasOpen = d.open ? "1" : ""; d.open = true; });
    });
    window.addEventListener("afterprint", () => {
      document.querySelectorAll("details.model").forEach((d) => { d.open = d.dataset.wasOpen === "1"; });
    });
  });
})();
