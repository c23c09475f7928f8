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
  // securityLevel "strict": labels are text, no click handlers, no HTML from the source.
  mermaid.initialize({ startOnLoad: false, securityLevel: "strict",
                       theme: dark() ? "dark" : "default" });
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
        // Its own width (the viewBox's), not squeezed to the column; the box scrolls.
        const box = drawn.viewBox && drawn.viewBox.baseVal;
        if (box && box.width) {
          drawn.style.maxWidth = "none";
          drawn.style.width = `${Math.ceil(box.width)}px`;
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
  document.documentElement.dataset.diagrams = "drawn";
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
