/* Reports page: the summary endpoint drawn with Chart.js (served locally), for the range in the URL. */
(function () {
  "use strict";

  var config = JSON.parse(document.getElementById("reports-config").textContent);
  var form = document.getElementById("report-filters");
  var statusLine = document.getElementById("report-status");
  var STATUS_COLOURS = {
    new: "#c62828", acknowledged: "#ef6c00", dispatched: "#1565c0",
    in_progress: "#6a1b9a", resolved: "#2e7d32", closed: "#616161"
  };
  var PALETTE = ["#1565c0", "#c62828", "#2e7d32", "#ef6c00", "#6a1b9a", "#00838f", "#ad1457", "#4e342e", "#9e9d24"];
  var charts = {};

  var query = new URLSearchParams(window.location.search);
  ["since", "until", "upt"].forEach(function (name) {
    if (query.get(name) && form.elements[name]) form.elements[name].value = query.get(name);
  });
  if (!form.elements.since.value) {
    var start = new Date(Date.now() - 29 * 86400000);
    form.elements.since.value = start.toISOString().slice(0, 10);
  }

  function params() {
    var result = new URLSearchParams();
    ["since", "until", "upt"].forEach(function (name) {
      if (form.elements[name] && form.elements[name].value) result.set(name, form.elements[name].value);
    });
    return result;
  }

  function draw(id, type, data, options) {
    if (charts[id]) charts[id].destroy();
    charts[id] = new Chart(document.getElementById(id), {
      type: type, data: data,
      options: Object.assign({ responsive: true, animation: false, plugins: { legend: { position: "bottom" } } }, options || {})
    });
  }

  function stacked() {
    return { scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true } } };
  }

  function figure(label, value) {
    var div = document.createElement("div");
    div.className = "figure";
    var strong = document.createElement("strong");
    strong.textContent = value === null || value === undefined ? "—" : String(value);
    div.appendChild(strong);
    div.appendChild(document.createTextNode(" " + label));
    return div;
  }

  function render(summary) {
    var figures = document.getElementById("report-figures");
    figures.innerHTML = "";
    var rt = summary.response_times;
    figures.appendChild(figure("kasus / cases", summary.total));
    figures.appendChild(figure("menit median diterima / median minutes to acknowledge", rt.acknowledge.median_minutes));
    figures.appendChild(figure("menit P90 diterima / p90 to acknowledge", rt.acknowledge.p90_minutes));
    figures.appendChild(figure("menit median selesai / median minutes to resolve", rt.resolve.median_minutes));
    figures.appendChild(figure("terlambat diterima / late acknowledgements", summary.sla_breaches.acknowledge));
    figures.appendChild(figure("terlambat selesai / late resolutions", summary.sla_breaches.resolve));

    var days = summary.by_day.map(function (d) { return d.date; });
    draw("chart-status", "bar", {
      labels: days,
      datasets: Object.keys(STATUS_COLOURS).map(function (status) {
        return {
          label: status, backgroundColor: STATUS_COLOURS[status],
          data: summary.by_day.map(function (d) { return d.by_status[status] || 0; })
        };
      })
    }, stacked());

    var categories = Object.keys(summary.by_category)
      .filter(function (code) { return summary.by_category[code] > 0; })
      .sort(function (a, b) { return summary.by_category[b] - summary.by_category[a]; });
    var top = categories.slice(0, PALETTE.length - 1);
    var datasets = top.map(function (code, index) {
      return {
        label: code, backgroundColor: PALETTE[index],
        data: summary.by_day.map(function (d) { return d.by_category[code] || 0; })
      };
    });
    if (categories.length > top.length) {
      datasets.push({
        label: "lainnya / other", backgroundColor: PALETTE[PALETTE.length - 1],
        data: summary.by_day.map(function (d) {
          return Object.keys(d.by_category).reduce(function (sum, code) {
            return top.indexOf(code) === -1 ? sum + d.by_category[code] : sum;
          }, 0);
        })
      });
    }
    draw("chart-category", "bar", { labels: days, datasets: datasets }, stacked());

    var histograms = summary.response_time_histograms;
    var bucketLabel = function (bucket) {
      var fmt = function (m) { return m >= 1440 ? m / 1440 + " hari" : m >= 60 ? m / 60 + " jam" : m + " mnt"; };
      return bucket.max_minutes === null ? "> " + fmt(bucket.min_minutes) : "≤ " + fmt(bucket.max_minutes);
    };
    draw("chart-response", "bar", {
      labels: ["1", "2", "3", "4", "5"].map(function (_, i) {
        return histograms.acknowledge[i] ? bucketLabel(histograms.acknowledge[i]) + " | " + bucketLabel(histograms.resolve[i]) : "";
      }),
      datasets: [
        { label: "diterima / acknowledge", backgroundColor: "#ef6c00", data: histograms.acknowledge.map(function (b) { return b.count; }) },
        { label: "ditugaskan / dispatch", backgroundColor: "#1565c0", data: histograms.dispatch.map(function (b) { return b.count; }) },
        { label: "selesai / resolve", backgroundColor: "#2e7d32", data: histograms.resolve.map(function (b) { return b.count; }) }
      ]
    });

    draw("chart-sla", "bar", {
      labels: summary.by_upt.map(function (u) { return u.code || "triase / triage"; }),
      datasets: [
        { label: "terlambat diterima / late ack", backgroundColor: "#ef6c00", data: summary.by_upt.map(function (u) { return u.ack_breaches; }) },
        { label: "terlambat selesai / late resolve", backgroundColor: "#c62828", data: summary.by_upt.map(function (u) { return u.resolve_breaches; }) }
      ]
    }, { indexAxis: "y" });
  }

  function load() {
    var p = params();
    window.history.replaceState(null, "", window.location.pathname + "?" + p.toString());
    statusLine.textContent = "Memuat… / Loading…";
    fetch(config.urls.summary + "?" + p.toString(), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.json().then(function (body) {
          if (!response.ok) throw new Error((body.error && body.error.message) || response.statusText);
          return body;
        });
      })
      .then(function (summary) {
        render(summary);
        statusLine.textContent = "";
      })
      .catch(function (error) { statusLine.textContent = "Gagal memuat / Failed: " + error.message; });
  }

  form.addEventListener("submit", function (event) { event.preventDefault(); load(); });
  load();
})();
