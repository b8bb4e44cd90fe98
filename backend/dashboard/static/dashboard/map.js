/* The managers' map: boundaries with a choropleth of case counts, clusters at low zoom, markers at high
 * zoom, the overdue list. Filters and the view live in the page's query string, so a link shares a view.
 * Everything is refreshed every minute without moving the map. */
(function () {
  "use strict";

  var config = JSON.parse(document.getElementById("map-config").textContent);
  var form = document.getElementById("filters");
  var statusLine = document.getElementById("map-status");
  var FILTERS = ["status", "category", "severity", "upt", "since", "until", "overdue"];
  var SEVERITY_COLOURS = { low: "#2e7d32", medium: "#f9a825", high: "#ef6c00", critical: "#c62828" };
  var STATUS_COLOURS = {
    new: "#c62828", acknowledged: "#ef6c00", dispatched: "#1565c0",
    in_progress: "#6a1b9a", resolved: "#2e7d32", closed: "#616161"
  };
  var COMPACT = new Intl.NumberFormat("id-ID", { notation: "compact", maximumFractionDigits: 1 });
  var CHOROPLETH = ["#f7fbff", "#c6dbef", "#6baed6", "#2171b5", "#08306b"];

  // --- state from the URL ---------------------------------------------------------------------
  var query = new URLSearchParams(window.location.search);
  FILTERS.forEach(function (name) {
    var field = form.elements[name];
    if (!field || !query.get(name)) return;
    if (field.type === "checkbox") field.checked = query.get(name) === "1";
    else field.value = query.get(name);
  });
  ["colour", "choropleth"].forEach(function (name) {
    var value = query.get(name);
    if (!value) return;
    Array.prototype.forEach.call(form.querySelectorAll("input[name=" + name + "]"), function (radio) {
      radio.checked = radio.value === value;
    });
  });

  function radioValue(name) {
    var checked = form.querySelector("input[name=" + name + "]:checked");
    return checked ? checked.value : null;
  }

  function filterParams() {
    var params = new URLSearchParams();
    FILTERS.forEach(function (name) {
      var field = form.elements[name];
      if (!field) return;
      if (field.type === "checkbox") { if (field.checked) params.set(name, "1"); }
      else if (field.value) params.set(name, field.value);
    });
    return params;
  }

  // --- the map ----------------------------------------------------------------------------------
  var startLat = parseFloat(query.get("lat")), startLng = parseFloat(query.get("lng"));
  var startZoom = parseInt(query.get("z"), 10);
  var map = L.map("map", { minZoom: config.minZoom, maxZoom: config.maxZoom }).setView(
    isFinite(startLat) && isFinite(startLng) ? [startLat, startLng] : config.center,
    isFinite(startZoom) ? startZoom : config.zoom
  );
  if (config.tileUrl) {
    // Without tiles (offline, blocked) the boundaries and points still draw on the plain background.
    L.tileLayer(config.tileUrl, { attribution: config.tileAttribution, maxZoom: config.maxZoom }).addTo(map);
  }
  map.createPane("boundaries").style.zIndex = 350;

  var boundaries = null;
  var regionCounts = {};
  var clusterLayer = L.layerGroup().addTo(map);
  var markerLayer = L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 40 }).addTo(map);
  var legend = L.control({ position: "bottomright" });
  legend.onAdd = function () { this.div = L.DomUtil.create("div", "legend"); return this.div; };
  legend.addTo(map);

  function setStatus(text) { statusLine.textContent = text; }

  function apiGet(url, params) {
    var full = params && params.toString() ? url + "?" + params.toString() : url;
    return fetch(full, { credentials: "same-origin", headers: { Accept: "application/json" } }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        if (!response.ok) {
          var error = new Error((body.error && body.error.message) || response.statusText);
          error.code = body.error && body.error.code;
          error.status = response.status;
          throw error;
        }
        return body;
      });
    });
  }

  function caseUrl(id) { return config.urls.caseDetail.replace("00000000-0000-0000-0000-000000000000", id); }

  function bboxParam() {
    var b = map.getBounds();
    var clamp = function (value, limit) { return Math.max(-limit, Math.min(limit, value)); };
    return [clamp(b.getWest(), 180), clamp(b.getSouth(), 90), clamp(b.getEast(), 180), clamp(b.getNorth(), 90)]
      .map(function (n) { return n.toFixed(5); }).join(",");
  }

  // --- boundaries and choropleth ------------------------------------------------------------------
  function choroplethValue(code) {
    var counts = regionCounts[code];
    return counts ? counts[radioValue("choropleth") || "all"] : 0;
  }

  function choroplethStyle(feature) {
    var values = Object.keys(regionCounts).map(choroplethValue);
    var max = Math.max.apply(null, values.concat([0]));
    var value = choroplethValue(feature.properties.code);
    var step = max > 0 && value > 0 ? Math.min(CHOROPLETH.length - 1, 1 + Math.floor((value / max) * (CHOROPLETH.length - 1.01))) : 0;
    return { pane: "boundaries", color: "#37474f", weight: 1, fillColor: CHOROPLETH[step], fillOpacity: 0.55 };
  }

  function loadBoundaries() {
    return apiGet(config.urls.boundaries).then(function (collection) {
      var drawable = (collection.features || []).filter(function (f) { return f.geometry; });
      boundaries = L.geoJSON({ type: "FeatureCollection", features: drawable }, {
        pane: "boundaries",
        style: choroplethStyle,
        onEachFeature: function (feature, layer) {
          layer.on("mouseover", function () {
            var counts = regionCounts[feature.properties.code] || { all: 0, open: 0, overdue: 0 };
            layer.bindTooltip(
              feature.properties.name + ": " + counts.all + " kasus, " + counts.open + " terbuka, " + counts.overdue + " terlambat",
              { sticky: true }
            ).openTooltip();
          });
        }
      }).addTo(map);
      if (!drawable.length) setStatus("Batas wilayah belum diimpor. / No boundaries imported.");
    }).catch(function () {
      setStatus("Batas wilayah tidak tersedia. / Boundaries unavailable.");
    });
  }

  function loadRegionCounts() {
    return apiGet(config.urls.regions, filterParams()).then(function (body) {
      regionCounts = {};
      body.regions.forEach(function (region) { regionCounts[region.code] = region; });
      if (boundaries) boundaries.setStyle(choroplethStyle);
    });
  }

  // --- points -----------------------------------------------------------------------------------
  function colourOf(properties) {
    return radioValue("colour") === "status" ? STATUS_COLOURS[properties.status] : SEVERITY_COLOURS[properties.severity];
  }

  function drawLegend() {
    var colours = radioValue("colour") === "status" ? STATUS_COLOURS : SEVERITY_COLOURS;
    legend.div.innerHTML = "";
    Object.keys(colours).forEach(function (key) {
      var row = L.DomUtil.create("div", "legend-row", legend.div);
      var swatch = L.DomUtil.create("span", "swatch", row);
      swatch.style.background = colours[key];
      var labels = radioValue("colour") === "status" ? config.labels.status : config.labels.severity;
      row.appendChild(document.createTextNode(labels[key] || key));
    });
  }

  function drawClusters(clusters) {
    clusterLayer.clearLayers();
    markerLayer.clearLayers();
    clusters.forEach(function (cluster) {
      var size = cluster.count < 10 ? "small" : cluster.count < 100 ? "medium" : "large";
      var diameter = cluster.count < 100 ? 32 : cluster.count < 10000 ? 42 : 54;
      var icon = L.divIcon({
        html: '<span data-count="' + cluster.count + '">' + COMPACT.format(cluster.count) + "</span>",
        className: "jsc-cluster jsc-cluster-" + size,
        iconSize: [diameter, diameter]
      });
      var marker = L.marker([cluster.lat, cluster.lng], { icon: icon, keyboard: true });
      marker.bindTooltip(
        "<strong>" + cluster.count.toLocaleString("id-ID") + " kasus</strong><br>" +
        Object.keys(cluster.by_status).map(function (s) {
          return (config.labels.status[s] || s) + ": " + cluster.by_status[s].toLocaleString("id-ID");
        }).join("<br>")
      );
      marker.on("click", function () { map.setView([cluster.lat, cluster.lng], Math.min(map.getZoom() + 2, config.maxZoom)); });
      clusterLayer.addLayer(marker);
    });
    return clusters.reduce(function (sum, c) { return sum + c.count; }, 0);
  }

  function drawMarkers(collection) {
    clusterLayer.clearLayers();
    markerLayer.clearLayers();
    var markers = collection.features.map(function (feature) {
      var p = feature.properties;
      var icon = L.divIcon({ className: "jsc-marker", iconSize: [14, 14], html: "" });
      var marker = L.marker([feature.geometry.coordinates[1], feature.geometry.coordinates[0]], {
        icon: icon, title: p.reference + " · " + p.category + " · " + p.status
      });
      marker.on("add", function () {
        var element = marker.getElement();
        if (element) { element.style.background = colourOf(p); element.dataset.caseId = p.id; }
      });
      marker.on("click", function () { window.location.assign(caseUrl(p.id)); });
      return marker;
    });
    markerLayer.addLayers(markers);
    return markers.length;
  }

  function loadPoints() {
    var params = filterParams();
    params.set("bbox", bboxParam());
    if (map.getZoom() >= config.pointsFromZoom) {
      return apiGet(config.urls.cases, params).then(drawMarkers).catch(function (error) {
        if (error.code !== "too_many") throw error;
        return loadClusters(params);
      });
    }
    return loadClusters(params);
  }

  function loadClusters(params) {
    params.set("zoom", String(map.getZoom()));
    return apiGet(config.urls.clusters, params).then(function (body) { return drawClusters(body.clusters); });
  }

  // --- overdue list -------------------------------------------------------------------------------
  function lateness(minutes) {
    if (minutes < 60) return minutes + " mnt";
    if (minutes < 48 * 60) return Math.floor(minutes / 60) + " jam";
    return Math.floor(minutes / 1440) + " hari";
  }

  function loadOverdue() {
    var params = filterParams();
    params.delete("overdue");
    return apiGet(config.urls.overdue, params).then(function (body) {
      var list = document.getElementById("overdue-list");
      list.innerHTML = "";
      document.getElementById("overdue-count").textContent = String(body.results.length);
      body.results.forEach(function (item) {
        var li = document.createElement("li");
        li.className = "severity-" + item.severity;
        var link = document.createElement("a");
        link.href = caseUrl(item.id);
        link.textContent = item.reference + " · " + item.summary;
        var meta = document.createElement("div");
        meta.className = "meta";
        meta.textContent = (item.deadline === "acknowledge" ? "belum diterima" : "belum selesai") +
          " · terlambat " + lateness(item.minutes_late) + (item.upt ? " · " + item.upt : "");
        li.appendChild(link);
        li.appendChild(meta);
        list.appendChild(li);
      });
    });
  }

  // --- wiring -----------------------------------------------------------------------------------
  function syncUrl() {
    var params = filterParams();
    ["colour", "choropleth"].forEach(function (name) { params.set(name, radioValue(name)); });
    var center = map.getCenter();
    params.set("lat", center.lat.toFixed(5));
    params.set("lng", center.lng.toFixed(5));
    params.set("z", String(map.getZoom()));
    window.history.replaceState(null, "", window.location.pathname + "?" + params.toString());
    var exportQuery = filterParams().toString();
    ["export-csv", "export-geojson"].forEach(function (id) {
      var link = document.getElementById(id);
      if (link) link.search = exportQuery;
    });
  }

  var generation = 0;
  function refresh(what) {
    var mine = ++generation;
    syncUrl();
    drawLegend();
    var jobs = [loadPoints()];
    if (what !== "view") jobs.push(loadRegionCounts(), loadOverdue());
    return Promise.all(jobs).then(function (results) {
      if (mine !== generation) return;
      var shown = results[0];
      setStatus(shown + " kasus di tampilan · diperbarui " + new Date().toLocaleTimeString("id-ID"));
      document.body.dataset.loaded = String(mine);
    }).catch(function (error) {
      if (mine === generation) setStatus("Gagal memuat: " + error.message + " / Failed to load.");
    });
  }

  var moveTimer = null;
  map.on("moveend", function () {
    window.clearTimeout(moveTimer);
    moveTimer = window.setTimeout(function () { refresh("view"); }, 250);
  });
  form.addEventListener("change", function () { refresh("all"); });
  form.addEventListener("submit", function (event) { event.preventDefault(); refresh("all"); });
  document.getElementById("f-reset").addEventListener("click", function () {
    form.reset();
    refresh("all");
  });
  window.setInterval(function () { refresh("all"); }, config.refreshSeconds * 1000);

  loadBoundaries().then(function () { return refresh("all"); });
})();
