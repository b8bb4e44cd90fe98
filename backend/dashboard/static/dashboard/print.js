/* The print button of the monthly report (no inline handlers: CSP). */
(function () {
  "use strict";
  var button = document.getElementById("print-button");
  if (button) button.addEventListener("click", function (event) { event.preventDefault(); window.print(); });
})();
