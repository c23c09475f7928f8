/* Mermaid diagrams, drawn in the browser from the blocks' source, with Mermaid served by the
   site itself (js/mermaid/, published only when a page has a diagram). Loaded only on those
   pages. A diagram follows the page's light/dark mode; one Mermaid cannot read keeps showing
   its source. */
import mermaid from "./mermaid/mermaid.esm.min.mjs";

const blocks = Array.from(document.querySelectorAll(".mermaid-diagram"));
let drawing = Promise.resolve();
let count = 0;

function dark() {
  const chosen = document.documentElement.dataset.theme;
  if (chosen === "light" || chosen === "dark") return chosen === "dark";
  return window.matchMedia("(prefers-color-scheme: dark)").matches;
}

async function drawAll() {
  const theme = dark() ? "dark" : "default";
  // securityLevel "strict": labels are text, no click handlers, no HTML from the source.
  mermaid.initialize({ startOnLoad: false, securityLevel: "strict", theme });
  for (const block of blocks) {
    const source = block.querySelector(".mermaid-source code");
    if (!source) continue;
    try {
      const { svg } = await mermaid.render(`mermaid-${++count}`, source.textContent);
      let figure = block.querySelector(".mermaid-drawn");
      if (!figure) {
        figure = document.createElement("div");
        figure.className = "mermaid-drawn";
        block.appendChild(figure);
      }
      figure.innerHTML = svg;
      const drawn = figure.querySelector("svg");
      if (drawn) {
        // At most its own width (the viewBox's); squeezed into a narrow column only down to
        // two thirds of it, so its labels stay readable, and the box scrolls past that.
        const box = drawn.viewBox && drawn.viewBox.baseVal;
        if (box && box.width) {
          const fit = Math.max(figure.clientWidth, Math.ceil(box.width * 2 / 3));
          drawn.style.maxWidth = "none";
          drawn.style.width = `${Math.min(Math.ceil(box.width), fit)}px`;
        }
        figure.tabIndex = figure.scrollWidth > figure.clientWidth ? 0 : -1;
        drawn.setAttribute("role", "img");
        if (!drawn.getAttribute("aria-label") && !drawn.getAttribute("aria-labelledby")) {
          drawn.setAttribute("aria-label", block.dataset.label || "diagram");
        }
      }
      block.classList.add("drawn");
    } catch (error) {
      block.classList.remove("drawn");
      block.dataset.error = String(error && error.message || error).slice(0, 200);
      document.getElementById(`dmermaid-${count}`)?.remove();  // Mermaid's error drawing
    }
  }
  // Done, in this theme (for whoever waits on it: tests, print styles).
  document.documentElement.dataset.diagrams = theme;
}

function redraw() {
  drawing = drawing.then(drawAll, drawAll);
  return drawing;
}

redraw();
document.addEventListener("digestgen:theme", redraw);
window.matchMedia("(prefers-color-scheme: dark)").addEventListener("change", () => {
  if (!document.documentElement.dataset.theme) redraw();
});
