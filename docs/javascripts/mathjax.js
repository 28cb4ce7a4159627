// MathJax configuration for pymdownx.arithmatex (generic mode): typeset only the math it marked.
window.MathJax = {
  tex: {
    inlineMath: [["\\(", "\\)"]],
    displayMath: [["\\[", "\\]"]],
    processEscapes: true,
    processEnvironments: true,
  },
  options: {
    ignoreHtmlClass: ".*|",
    processHtmlClass: "arithmatex",
  },
};

// MathJax typesets the page it is loaded on by itself. Should Material's instant navigation be
// turned on, typeset each page it swaps in; never redo the first one: clearing MathJax's cache
// under math already typeset leaves it invisible.
let mathjaxFirstPage = true;
document$.subscribe(() => {
  if (mathjaxFirstPage) {
    mathjaxFirstPage = false;
    return;
  }
  MathJax.startup.output.clearCache();
  MathJax.typesetClear();
  MathJax.texReset();
  MathJax.typesetPromise();
});
