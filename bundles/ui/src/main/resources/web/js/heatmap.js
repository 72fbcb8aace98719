// An occlusion-sensitivity map (what a classification network's explanation stores as a derived image: per pixel, how
// much the top class's probability drops when the patch holding that pixel is hidden) as a semi-transparent colour
// overlay and its legend. Red where hiding the region lowered the probability (the region drove the result), blue
// where hiding it raised it; the stronger the effect, the more opaque. One scale for both signs, the largest effect,
// so that the colours of two regions compare.
import { h } from './dom.js';

const RED = [220, 30, 30];
const BLUE = [30, 90, 230];
/** The opacity of the strongest effect: the image under it stays visible. */
const MAX_ALPHA = 0.7;
/** Effects below this share of the largest are left transparent: noise, not evidence. */
const THRESHOLD = 0.05;

/**
 * The overlay for `samples` (a Float32Array of `width` x `height` values in probability units, rows first): a
 * canvas of the image's own size, and the largest drop and rise, in probability units.
 */
export function heatMap(samples, width, height) {
  let largestDrop = 0;
  let largestRise = 0;
  for (const value of samples) {
    largestDrop = Math.max(largestDrop, value);
    largestRise = Math.max(largestRise, -value);
  }
  const scale = Math.max(largestDrop, largestRise);
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext('2d');
  const pixels = context.createImageData(width, height);
  if (scale > 0) {
    for (let i = 0; i < width * height; i++) {
      const share = samples[i] / scale;
      if (Math.abs(share) < THRESHOLD) {
        continue;
      }
      const colour = share > 0 ? RED : BLUE;
      pixels.data.set([...colour, Math.round(255 * MAX_ALPHA * Math.min(1, Math.abs(share)))], i * 4);
    }
  }
  context.putImageData(pixels, 0, 0);
  return { canvas, largestDrop, largestRise };
}

/** The legend of a heat map made by {@link heatMap} for the class `label`. */
export function heatMapLegend(map, label) {
  const points = value => `${(100 * value).toFixed(1)} percentage points`;
  return h('div', { class: 'heat-legend', role: 'group', 'aria-label': 'Heat map legend' },
    h('div', { class: 'heat-scale', 'aria-hidden': 'true' },
      h('span', {}, map.largestRise > 0 ? `−${(100 * map.largestRise).toFixed(1)}` : '0'),
      h('span', { class: 'heat-bar' }),
      h('span', {}, `+${(100 * map.largestDrop).toFixed(1)}`)),
    h('p', {}, h('span', { class: 'swatch heat-red' }), ` Red: hiding this region lowers the probability of “${label}” `
      + `(at most ${points(map.largestDrop)}): it drove the result.`),
    h('p', {}, h('span', { class: 'swatch heat-blue' }), ` Blue: hiding it raises the probability of “${label}” `
      + `(at most ${points(map.largestRise)}): it speaks against it.`),
    h('p', { class: 'muted' }, 'Occlusion sensitivity: the network\'s input cut into an 8 × 8 grid, each patch hidden '
      + 'in turn. Uncoloured regions changed the result by less than 5 % of the largest effect.'));
}
