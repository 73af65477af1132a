/* Read aloud (easy-read mode): the browser's own speech synthesis reads the question and its
   answers, in Dutch (nl-NL) or English (en-GB) after the page's language. The button stays
   hidden in browsers without speech synthesis, and the page works the same without it. */
(function () {
  "use strict";
  if (!("speechSynthesis" in window) || typeof window.SpeechSynthesisUtterance !== "function") {
    return;
  }
  var lang = document.documentElement.lang === "en" ? "en-GB" : "nl-NL";

  function voiceFor(language) {
    var voices = window.speechSynthesis.getVoices() || [];
    for (var i = 0; i < voices.length; i++) {
      if (voices[i].lang === language) { return voices[i]; }
    }
    for (var j = 0; j < voices.length; j++) {
      if (voices[j].lang && voices[j].lang.slice(0, 2) === language.slice(0, 2)) { return voices[j]; }
    }
    return null;
  }

  function textToRead() {
    var parts = [];
    var nodes = document.querySelectorAll("main [data-read]");
    for (var i = 0; i < nodes.length; i++) {
      var t = (nodes[i].textContent || "").replace(/\s+/g, " ").trim();
      if (t) { parts.push(/[.?!:]$/.test(t) ? t : t + "."); }
    }
    return parts.join(" ");
  }

  function reset(buttons) {
    for (var i = 0; i < buttons.length; i++) { buttons[i].setAttribute("aria-pressed", "false"); }
  }

  var buttons = document.querySelectorAll("[data-read-aloud]");
  for (var i = 0; i < buttons.length; i++) {
    var button = buttons[i];
    button.hidden = false;
    button.addEventListener("click", function (event) {
      var b = event.currentTarget;
      var synth = window.speechSynthesis;
      if (synth.speaking || synth.pending) {
        synth.cancel();
        reset(buttons);
        return;
      }
      var utterance = new window.SpeechSynthesisUtterance(textToRead());
      utterance.lang = lang;
      var voice = voiceFor(lang);
      if (voice) { utterance.voice = voice; }
      utterance.rate = 0.9;
      utterance.onend = function () { reset(buttons); };
      utterance.onerror = function () { reset(buttons); };
      b.setAttribute("aria-pressed", "true");
      synth.speak(utterance);
    });
  }
  window.addEventListener("pagehide", function () { window.speechSynthesis.cancel(); });
})();
