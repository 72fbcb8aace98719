// An image on a <canvas> with zoom and pan: the server renders the PNG (window/level applied there), the canvas
// draws it scaled and moved. Two viewports can be linked so that source and result move together. An overlay (a
// canvas of the image's own rows and columns, such as an explanation's heat map) is drawn over the image with the
// same scale and position, so that each of its pixels covers the image pixel it belongs to.
const MIN_ZOOM = 0.25;
const MAX_ZOOM = 16;

export class Viewport {
  /** @param canvas the <canvas>, focusable; keys: + and - zoom, arrows pan, 0 resets */
  constructor(canvas) {
    this.canvas = canvas;
    this.image = null;
    this.objectUrl = null;
    this.zoom = 1;
    this.panX = 0;
    this.panY = 0;
    this.overlay = null;
    this.overlayVisible = true;
    this.linked = [];
    this.listeners = [];
    this.resizeObserver = new ResizeObserver(() => this.draw());
    this.resizeObserver.observe(canvas);
    this.attachPointer();
    this.attachKeys();
  }

  /** Shows the PNG at `objectUrl` (this viewport revokes it when replaced). */
  async show(objectUrl) {
    const image = new Image();
    image.src = objectUrl;
    await image.decode();
    if (this.objectUrl) {
      URL.revokeObjectURL(this.objectUrl);
    }
    this.objectUrl = objectUrl;
    this.image = image;
    this.draw();
  }

  /** Draws `canvas` (or nothing, for null) over the image, stretched to the image's drawn size. */
  setOverlay(canvas) {
    this.overlay = canvas;
    this.draw();
  }

  showOverlay(visible) {
    this.overlayVisible = visible;
    this.draw();
  }

  link(other) {
    this.linked.push(other);
    other.linked.push(this);
    other.setView(this.zoom, this.panX, this.panY, false);
  }

  onChange(listener) {
    this.listeners.push(listener);
  }

  setView(zoom, panX, panY, propagate = true) {
    this.zoom = Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, zoom));
    this.panX = panX;
    this.panY = panY;
    this.draw();
    if (propagate) {
      this.linked.forEach(other => other.setView(this.zoom, this.panX, this.panY, false));
      this.listeners.forEach(listener => listener(this));
    }
  }

  zoomBy(factor) {
    this.setView(this.zoom * factor, this.panX * factor, this.panY * factor);
  }

  panBy(dx, dy) {
    this.setView(this.zoom, this.panX + dx, this.panY + dy);
  }

  reset() {
    this.setView(1, 0, 0);
  }

  draw() {
    const canvas = this.canvas;
    const ratio = window.devicePixelRatio || 1;
    const width = Math.max(1, Math.round(canvas.clientWidth * ratio));
    const height = Math.max(1, Math.round(canvas.clientHeight * ratio));
    if (canvas.width !== width || canvas.height !== height) {
      canvas.width = width;
      canvas.height = height;
    }
    const context = canvas.getContext('2d');
    context.setTransform(1, 0, 0, 1, 0, 0);
    context.fillStyle = '#000';
    context.fillRect(0, 0, width, height);
    if (!this.image) {
      return;
    }
    // Fit the whole image at zoom 1, keep its aspect ratio, centre it, then apply zoom and pan (CSS pixels).
    const fit = Math.min(width / this.image.naturalWidth, height / this.image.naturalHeight);
    const scale = fit * this.zoom;
    const drawnWidth = this.image.naturalWidth * scale;
    const drawnHeight = this.image.naturalHeight * scale;
    const x = (width - drawnWidth) / 2 + this.panX * ratio;
    const y = (height - drawnHeight) / 2 + this.panY * ratio;
    // Enlarged pixels stay crisp squares: a radiologist must see the real pixels, not a smoothed guess.
    context.imageSmoothingEnabled = scale < 1;
    context.drawImage(this.image, x, y, drawnWidth, drawnHeight);
    if (this.overlay && this.overlayVisible) {
      context.drawImage(this.overlay, x, y, drawnWidth, drawnHeight);
    }
  }

  attachPointer() {
    let dragging = null;
    this.canvas.addEventListener('pointerdown', event => {
      dragging = { x: event.clientX, y: event.clientY };
      this.canvas.setPointerCapture(event.pointerId);
    });
    this.canvas.addEventListener('pointermove', event => {
      if (dragging) {
        this.panBy(event.clientX - dragging.x, event.clientY - dragging.y);
        dragging = { x: event.clientX, y: event.clientY };
      }
    });
    const stop = () => { dragging = null; };
    this.canvas.addEventListener('pointerup', stop);
    this.canvas.addEventListener('pointercancel', stop);
    this.canvas.addEventListener('wheel', event => {
      event.preventDefault();
      this.zoomBy(event.deltaY < 0 ? 1.2 : 1 / 1.2);
    }, { passive: false });
  }

  attachKeys() {
    this.canvas.addEventListener('keydown', event => {
      const step = event.shiftKey ? 50 : 15;
      const actions = {
        '+': () => this.zoomBy(1.25), '=': () => this.zoomBy(1.25), '-': () => this.zoomBy(0.8), 0: () => this.reset(),
        ArrowLeft: () => this.panBy(-step, 0), ArrowRight: () => this.panBy(step, 0),
        ArrowUp: () => this.panBy(0, -step), ArrowDown: () => this.panBy(0, step),
      };
      const action = actions[event.key];
      if (action) {
        event.preventDefault();
        action();
      }
    });
  }

  dispose() {
    this.resizeObserver.disconnect();
    if (this.objectUrl) {
      URL.revokeObjectURL(this.objectUrl);
    }
  }
}
