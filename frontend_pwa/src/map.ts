/**
 * The case form's map: Leaflet, loaded on demand (its own chunk), with one draggable pin.
 * Tiles come from the server's configured URL; when they do not load the form still works.
 */
import L from "leaflet";
import "leaflet/dist/leaflet.css";

/** East Java, where the map opens. */
export const JATIM_CENTER: [number, number] = [-7.6, 112.6];
export const JATIM_ZOOM = 8;

export interface PinMap {
  /** Shows a GPS fix (pin and accuracy circle), unless the user moved the pin by hand. */
  showFix(lat: number, lng: number, accuracy: number | null): void;
  /** Puts the pin at the map centre, as a manual placement. */
  pinAtCenter(): void;
  destroy(): void;
}

export interface PinMapOptions {
  tileUrl: string;
  attribution: string;
  label: string;
  initial: { lat: number; lng: number } | null;
  onManualPin(lat: number, lng: number): void;
  onTilesFailed(): void;
}

export function createPinMap(container: HTMLElement, options: PinMapOptions): PinMap {
  const map = L.map(container, {
    center: options.initial ? [options.initial.lat, options.initial.lng] : JATIM_CENTER,
    zoom: options.initial ? 16 : JATIM_ZOOM,
    zoomAnimation: false,
    fadeAnimation: false,
    markerZoomAnimation: false,
  });
  let failures = 0;
  let loaded = 0;
  L.tileLayer(options.tileUrl, { maxZoom: 19, attribution: options.attribution, crossOrigin: "anonymous" })
    .on("tileerror", () => {
      failures++;
      if (loaded === 0 && failures >= 2) options.onTilesFailed();
    })
    .on("tileload", () => loaded++)
    .addTo(map);

  const icon = L.divIcon({ className: "pin-icon", html: "<span></span>", iconSize: [36, 36], iconAnchor: [18, 34] });
  // The pin is always there (at the case's place, or waiting at the map centre): dragging it, or
  // tapping the map, is how a place is set by hand. Until then it only marks where a fix would go.
  const start = options.initial ?? { lat: map.getCenter().lat, lng: map.getCenter().lng };
  const pin = L.marker([start.lat, start.lng], { draggable: true, icon, keyboard: true, title: options.label, alt: options.label }).addTo(map);
  const pinElement = pin.getElement();
  pinElement?.setAttribute("data-testid", "map-pin");
  pinElement?.classList.toggle("unplaced", !options.initial);
  let circle: L.Circle | null = null;
  let manual = false;

  const placeByHand = (lat: number, lng: number) => {
    manual = true;
    pin.setLatLng([lat, lng]);
    pinElement?.classList.remove("unplaced");
    circle?.remove();
    circle = null;
    options.onManualPin(lat, lng);
  };
  pin.on("dragend", () => {
    const at = pin.getLatLng();
    placeByHand(at.lat, at.lng);
  });
  map.on("click", (event: L.LeafletMouseEvent) => placeByHand(event.latlng.lat, event.latlng.lng));

  return {
    showFix(lat, lng, accuracy) {
      if (manual) return;
      pin.setLatLng([lat, lng]);
      pinElement?.classList.remove("unplaced");
      if (accuracy !== null) {
        if (circle) circle.setLatLng([lat, lng]).setRadius(accuracy);
        else circle = L.circle([lat, lng], { radius: accuracy, weight: 1, fillOpacity: 0.1 }).addTo(map);
      }
      map.setView([lat, lng], Math.max(map.getZoom(), 16), { animate: false });
    },
    pinAtCenter() {
      const at = map.getCenter();
      placeByHand(at.lat, at.lng);
    },
    destroy() {
      map.remove();
    },
  };
}
