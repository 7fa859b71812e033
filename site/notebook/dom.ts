// Turns a rendered output tree (hast data from render.ts) into DOM nodes with createElement and
// text nodes only, never innerHTML, so cell output cannot inject markup into the page.
import type { HNode } from './render.ts';

const SVG = 'http://www.w3.org/2000/svg';

/** Builds DOM nodes for `node`; elements inside an <svg> are created in the SVG namespace. */
export function toDOM(node: HNode, inSvg = false): Node {
  if (node.type === 'text') return document.createTextNode(node.value);
  const svg = inSvg || node.tagName === 'svg';
  const element = svg ? document.createElementNS(SVG, node.tagName) : document.createElement(node.tagName);
  for (const [name, value] of Object.entries(node.properties)) {
    // Only our own renderer produces these trees, but refuse script-like attributes all the same.
    if (/^on/i.test(name)) continue;
    if ((name === 'href' || name === 'src') && !String(value).startsWith('data:image/png;base64,')) continue;
    element.setAttribute(name, String(value));
  }
  for (const child of node.children) element.appendChild(toDOM(child, svg));
  return element;
}
