// The PeerDesk agency console's only script of its own (no inline script: the
// Content-Security-Policy allows scripts from this origin only).
"use strict";
document.addEventListener("click", function (event) {
  var target = event.target;
  if (target instanceof Element && target.closest("[data-print]")) {
    window.print();
  }
});
