#include "output/sweep_report.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

#include <fmt/format.h>

#include "output/plot_axes.h"
#include "output/results_file.h"
#include "output/sensitivity_report.h"
#include "output/svg_chart.h"

namespace fourp::report {

namespace {

constexpr size_t kMaxPoints = 4000;  // per scatter plot

using svg::escape;

// One scatter plot: a metric's (sample, arm) means against one parameter.
std::string scatter_plot(const std::string& metric, const std::string& parameter,
                         const std::vector<double>& xs, const std::vector<double>& ys,
                         const std::vector<size_t>& arm_of, size_t stride) {
  const double W = 320, H = 240, left = 58, right = 10, top = 10, bottom = 42;
  double xlo = INFINITY, xhi = -INFINITY, ylo = INFINITY, yhi = -INFINITY;
  size_t shown = 0;
  for (size_t k = 0; k < xs.size(); k += stride) {
    if (!std::isfinite(ys[k]) || !std::isfinite(xs[k])) continue;
    xlo = std::min(xlo, xs[k]), xhi = std::max(xhi, xs[k]);
    ylo = std::min(ylo, ys[k]), yhi = std::max(yhi, ys[k]);
    ++shown;
  }
  std::string out = fmt::format(
      R"~(<svg class="plot" viewBox="0 0 {} {}" width="{}" height="{}" role="img"><title>{} against {}</title>)~",
      W, H, W, H, escape(metric), escape(parameter));
  if (shown == 0) {
    out += fmt::format(
        R"~(<text x="{}" y="{}" text-anchor="middle" class="label">no values: {} is undefined in every sample</text></svg>)~",
        W / 2, H / 2, escape(metric));
    return out;
  }
  const auto [x0, x1] = span_of(xlo, xhi);
  const auto [y0, y1] = span_of(ylo, yhi);
  const Scale x{x0, x1, left, W - right}, y{y0, y1, H - bottom, top};
  out += y_axis(y, left, W - right, metric);
  out += x_axis(x, H - bottom, top, parameter);
  for (size_t k = 0; k < xs.size(); k += stride) {
    if (!std::isfinite(ys[k]) || !std::isfinite(xs[k])) continue;
    out +=
        fmt::format(R"~(<circle cx="{:.1f}" cy="{:.1f}" r="2.2" fill="{}" fill-opacity="0.65"/>)~",
                    x(xs[k]), y(ys[k]), svg::arm_colour(arm_of[k]));
  }
  return out + "</svg>";
}

const char* kStyle = R"~(
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #222;
       max-width: 1080px; margin: 2em auto; padding: 0 1em; line-height: 1.45; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; } h2 { margin-top: 2em; border-bottom: 1px solid #ddd; }
h3 { margin-bottom: 0.3em; }
table { border-collapse: collapse; margin: 0.5em 0; font-size: 0.92em; }
td, th { border-bottom: 1px solid #eee; padding: 3px 10px; text-align: left; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
.plots { display: flex; flex-wrap: wrap; gap: 8px; }
svg { max-width: 100%; height: auto; } svg text { font-size: 11px; fill: #333; }
svg text.label { font-size: 12px; } svg text.group { font-size: 12px; font-weight: 600; }
.legend span { display: inline-block; margin-right: 1.2em; }
.legend i { display: inline-block; width: 0.8em; height: 0.8em; border-radius: 50%;
            margin-right: 0.3em; vertical-align: middle; }
.note { color: #555; font-size: 0.92em; } svg text.unknown { font-size: 10px; fill: #777; } pre { background: #f6f6f6; padding: 0.8em; overflow: auto; }
@media print { h2 { break-before: page; } .plots { display: block; } }
)~";

}  // namespace

std::string render_sweep_report(const SweepResults& r) {
  const SweepLayout& L = r.info.layout;
  const h5::Table& s = r.summary;
  const size_t rows = s.rows();
  const h5::Field* arm_field = field(s, "arm");
  std::map<std::string, size_t> arm_index;
  for (size_t a = 0; a < L.arms.size(); ++a) arm_index[L.arms[a]] = a;
  std::vector<size_t> arm_of(rows, 0);
  if (arm_field)
    for (size_t k = 0; k < rows; ++k) arm_of[k] = arm_index[arm_field->strings[k]];

  std::string h;
  h += "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">";
  h += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">";
  h += fmt::format("<title>Sweep {} — fourp</title><style>{}</style></head><body>\n",
                   escape(L.name), kStyle);
  h += fmt::format("<h1>Sweep: {}</h1>\n", escape(L.name));
  h += fmt::format(
      "<p class=\"note\">{} design, {} samples × {} arms × {} replicates = {} runs"
      "{}. fourp {}; sweep file {}; hash {}.</p>\n",
      escape(L.design), L.sample_count(), L.arms.size(), L.replicates, r.info.runs,
      r.info.failed_runs ? fmt::format(", <strong>{} failed</strong>", r.info.failed_runs)
                         : std::string(),
      FOURP_VERSION, escape(L.sweep_file), L.hash_hex());

  // --- What was swept
  h += "<section id=\"about\"><h2>What was swept</h2>\n<table><tr><th>parameter</th><th>from</th>"
       "<th>to</th><th>distinct values</th></tr>\n";
  for (size_t i = 0; i < L.parameters.size(); ++i) {
    double lo = INFINITY, hi = -INFINITY;
    std::vector<double> v;
    for (uint32_t j = 0; j < L.sample_count(); ++j) {
      lo = std::min(lo, L.value(j, i)), hi = std::max(hi, L.value(j, i));
      v.push_back(L.value(j, i));
    }
    std::sort(v.begin(), v.end());
    const size_t distinct = static_cast<size_t>(std::unique(v.begin(), v.end()) - v.begin());
    h += fmt::format(
        "<tr><td><code>{}</code></td><td class=\"n\">{}</td><td class=\"n\">{}</td>"
        "<td class=\"n\">{}</td></tr>\n",
        escape(L.parameters[i]), num(lo), num(hi), distinct);
  }
  h += "</table>\n<p class=\"legend\">Arms: ";
  for (size_t a = 0; a < L.arms.size(); ++a)
    h += fmt::format("<span><i style=\"background:{}\"></i>{}{}</span>", svg::arm_colour(a),
                     escape(L.arms[a]), L.arms[a] == L.baseline_arm ? " (baseline)" : "");
  h += "</p>\n";
  h += fmt::format(
      "<p>Metrics: {}. Each is summarised per sample and arm by its mean (and standard "
      "deviation) over the replicates that ran; a cost per unit of improvement is the mean "
      "extra cost over the baseline divided by the mean improvement.</p></section>\n",
      escape(fmt::format("{}", fmt::join(L.metrics, ", "))));

  h += noise_section(r);
  h += sobol_section(r);
  h += morris_section(r);

  // --- Scatter plots
  const size_t stride = std::max<size_t>(1, (rows + kMaxPoints - 1) / kMaxPoints);
  h += "<section id=\"scatter\"><h2>Each metric against each parameter</h2>\n<p>One point per "
       "sample and arm: the metric's mean over replicates against the parameter's value in that "
       "sample.";
  if (stride > 1) h += fmt::format(" With {} points per plot, every {}th is drawn.", rows, stride);
  h += "</p>\n<p class=\"legend\">";
  for (size_t a = 0; a < L.arms.size(); ++a)
    h += fmt::format("<span><i style=\"background:{}\"></i>{}</span>", svg::arm_colour(a),
                     escape(L.arms[a]));
  h += "</p>\n";
  for (const std::string& m : L.metrics) {
    const h5::Field* y = field(s, m + "_mean");
    if (!y) continue;
    h += fmt::format("<h3 id=\"scatter-{0}\">{0}</h3>\n<div class=\"plots\">\n", escape(m));
    for (const std::string& p : L.parameters) {
      const h5::Field* x = field(s, p);
      if (!x) continue;
      h += scatter_plot(m + " (mean)", p, x->numbers, y->numbers, arm_of, stride);
      h += "\n";
    }
    h += "</div>\n";
  }
  h += "</section>\n";

  // --- Caveats
  h += "<section id=\"caveats\"><h2>Caveats</h2>\n<ul>";
  h += "<li>Every number comes from the model with the parameters shown; it explores "
       "consequences of assumptions, it does not forecast.</li>";
  h += fmt::format(
      "<li>Each sample ran {} replicate(s) per arm, seeded from the design seed {}{} and the "
      "replicate; arms of a sample and replicate share every random number{}.</li>",
      L.replicates, L.design_seed, L.independent_seeds ? ", the sample" : "",
      L.independent_seeds ? ""
                          : ", and so does replicate r of every sample (common random "
                            "numbers across the design)");
  if (!r.info.drawn_parameters.empty())
    h += fmt::format(
        "<li>Besides the swept parameters, each replicate drew {} uncertain parameter(s) of the "
        "scenario ({}): their variation is part of each sample's replicate noise (the noise "
        "shares above), and their values are columns of the <code>/runs</code> table.</li>",
        r.info.drawn_parameters.size(),
        escape(fmt::format("{}", fmt::join(r.info.drawn_parameters, ", "))));
  if (r.info.failed_runs)
    h += fmt::format(
        "<li><strong>{} runs failed</strong>: their samples' means are over fewer "
        "replicates (the <code>/runs</code> table has each error).</li>",
        r.info.failed_runs);
  h += "</ul>\n<details><summary>The sweep file</summary><pre>" + escape(L.sweep_text) +
       "</pre></details>\n<details><summary>The base scenario (normalised)</summary><pre>" +
       escape(L.scenario_yaml) + "</pre></details>\n</section>\n</body></html>\n";
  return h;
}

void write_sweep_report(const SweepResults& results, const std::filesystem::path& path,
                        bool overwrite) {
  write_report_text(path, overwrite, render_sweep_report(results));
}

}  // namespace fourp::report
