#include "output/sweep_report.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <limits>
#include <map>

#include <fmt/format.h>

#include "output/results_file.h"
#include "output/svg_chart.h"

namespace fourp::report {

namespace {

constexpr size_t kMaxPoints = 4000;  // per scatter plot

using svg::escape;

const h5::Field* field(const h5::Table& t, const std::string& name) {
  for (const auto& f : t.fields)
    if (f.name == name) return &f;
  return nullptr;
}

std::string num(double v) {
  if (std::isnan(v)) return "–";
  if (v != 0 && (std::fabs(v) >= 1e6 || std::fabs(v) < 1e-3)) return fmt::format("{:.3g}", v);
  return fmt::format("{:.3f}", v);
}

// A linear scale from [d0, d1] to [r0, r1].
struct Scale {
  double d0, d1, r0, r1;
  double operator()(double v) const {
    return d1 == d0 ? (r0 + r1) / 2 : r0 + (v - d0) / (d1 - d0) * (r1 - r0);
  }
};

// [lo, hi] padded a little, never empty.
std::pair<double, double> span_of(double lo, double hi) {
  if (!(lo < hi)) {
    const double pad = lo == 0 ? 1 : std::fabs(lo) * 0.1;
    return {lo - pad, hi + pad};
  }
  const double pad = (hi - lo) * 0.04;
  return {lo - pad, hi + pad};
}

std::string x_axis(const Scale& x, double y_px, double top_px, const std::string& label) {
  std::string out;
  const auto ticks = svg::nice_ticks(x.d0, x.d1, 4);
  const double step = ticks.size() > 1 ? ticks[1] - ticks[0] : 1;
  out += fmt::format(R"~(<line x1="{:.1f}" y1="{:.1f}" x2="{:.1f}" y2="{:.1f}" stroke="#444"/>)~",
                     x.r0, y_px, x.r1, y_px);
  for (double t : ticks) {
    if (t < x.d0 - 1e-12 || t > x.d1 + 1e-12) continue;
    const double px = x(t);
    out += fmt::format(
        R"~(<line x1="{0:.1f}" y1="{1:.1f}" x2="{0:.1f}" y2="{2:.1f}" stroke="#eee"/>)~", px,
        top_px, y_px);
    out +=
        fmt::format(R"~(<text x="{:.1f}" y="{:.1f}" text-anchor="middle" class="tick">{}</text>)~",
                    px, y_px + 13, escape(svg::plain_tick(t, step)));
  }
  out +=
      fmt::format(R"~(<text x="{:.1f}" y="{:.1f}" text-anchor="middle" class="label">{}</text>)~",
                  (x.r0 + x.r1) / 2, y_px + 28, escape(label));
  return out;
}

std::string y_axis(const Scale& y, double x_px, double right_px, const std::string& label) {
  std::string out;
  const auto ticks = svg::nice_ticks(y.d0, y.d1, 4);
  const double step = ticks.size() > 1 ? ticks[1] - ticks[0] : 1;
  out += fmt::format(R"~(<line x1="{:.1f}" y1="{:.1f}" x2="{:.1f}" y2="{:.1f}" stroke="#444"/>)~",
                     x_px, y.r0, x_px, y.r1);
  for (double t : ticks) {
    if (t < y.d0 - 1e-12 || t > y.d1 + 1e-12) continue;
    const double py = y(t);
    out += fmt::format(
        R"~(<line x1="{0:.1f}" y1="{1:.1f}" x2="{2:.1f}" y2="{1:.1f}" stroke="#eee"/>)~", x_px, py,
        right_px);
    out += fmt::format(R"~(<text x="{:.1f}" y="{:.1f}" text-anchor="end" class="tick">{}</text>)~",
                       x_px - 4, py + 4, escape(svg::plain_tick(t, step)));
  }
  out += fmt::format(
      R"~(<text transform="translate(12,{:.1f}) rotate(-90)" text-anchor="middle" class="label">{}</text>)~",
      (y.r0 + y.r1) / 2, escape(label));
  return out;
}

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

struct Index {
  double first, first_low, first_high, total, total_low, total_high;
};

// Sobol' indices of one metric: per parameter, a group of rows (one per arm), each with the
// first-order index (solid bar) and the total index (light bar), with 95% whiskers.
std::string sobol_chart(const std::string& metric, const std::vector<std::string>& parameters,
                        const std::vector<std::string>& arms,
                        const std::map<std::pair<size_t, size_t>, Index>& idx) {
  const double row_h = 22, group_head = 18, group_gap = 8, left = 150, right = 20, top = 6,
               bottom = 40, W = 720;
  const double H =
      top + bottom + parameters.size() * (group_head + arms.size() * row_h + group_gap);
  double lo = 0, hi = 1;
  for (const auto& [key, i] : idx)
    for (double v : {i.first_low, i.total_low, i.first, i.total})
      if (std::isfinite(v)) lo = std::min(lo, v);
  for (const auto& [key, i] : idx)
    for (double v : {i.first_high, i.total_high, i.first, i.total})
      if (std::isfinite(v)) hi = std::max(hi, v);
  lo = std::max(lo, -0.5), hi = std::min(hi, 1.5);
  const Scale x{lo, hi, left, W - right};
  std::string out = fmt::format(
      R"~(<svg class="bars" viewBox="0 0 {} {:.0f}" width="{}" height="{:.0f}" role="img"><title>Sobol' indices of {}</title>)~",
      W, H, W, H, escape(metric));
  out += x_axis(x, H - bottom, top,
                "Sobol' index (solid: first order; light: total; lines: 95% intervals)");
  double y = top;
  for (size_t p = 0; p < parameters.size(); ++p) {
    out += fmt::format(R"~(<text x="4" y="{:.1f}" class="group">{}</text>)~", y + 13,
                       escape(parameters[p]));
    y += group_head;
    for (size_t a = 0; a < arms.size(); ++a) {
      const double ry = y + a * row_h;
      out += fmt::format(R"~(<text x="{}" y="{:.1f}" text-anchor="end" class="tick">{}</text>)~",
                         left - 6, ry + 14, escape(arms[a]));
      auto it = idx.find({p, a});
      if (it == idx.end()) continue;
      const Index& i = it->second;
      const std::string colour = svg::arm_colour(a);
      auto bar = [&](double v, double low, double high, double by, double opacity,
                     const std::string& what) {
        if (!std::isfinite(v)) return;
        const double x0 = x(std::clamp(0.0, lo, hi)), x1 = x(std::clamp(v, lo, hi));
        out += fmt::format(
            R"~(<rect x="{:.1f}" y="{:.1f}" width="{:.1f}" height="8" fill="{}" fill-opacity="{}"><title>{} {}, {}: {} [{}, {}]</title></rect>)~",
            std::min(x0, x1), by, std::fabs(x1 - x0), colour, opacity, what, escape(parameters[p]),
            escape(arms[a]), num(v), num(low), num(high));
        if (std::isfinite(low) && std::isfinite(high))
          out += fmt::format(
              R"~(<line x1="{0:.1f}" y1="{2:.1f}" x2="{1:.1f}" y2="{2:.1f}" stroke="#222"/><line x1="{0:.1f}" y1="{3:.1f}" x2="{0:.1f}" y2="{4:.1f}" stroke="#222"/><line x1="{1:.1f}" y1="{3:.1f}" x2="{1:.1f}" y2="{4:.1f}" stroke="#222"/>)~",
              x(std::clamp(low, lo, hi)), x(std::clamp(high, lo, hi)), by + 4, by + 1, by + 7);
      };
      bar(i.first, i.first_low, i.first_high, ry + 2, 1.0, "first-order index of");
      bar(i.total, i.total_low, i.total_high, ry + 11, 0.35, "total index of");
    }
    y += arms.size() * row_h + group_gap;
  }
  // The zero line.
  out += fmt::format(R"~(<line x1="{0:.1f}" y1="{1}" x2="{0:.1f}" y2="{2:.1f}" stroke="#888"/>)~",
                     x(0), top, H - bottom);
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
.note { color: #555; font-size: 0.92em; } pre { background: #f6f6f6; padding: 0.8em; overflow: auto; }
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

  // --- Sobol' indices
  if (!r.sobol.fields.empty()) {
    h += "<section id=\"sobol\"><h2>Sensitivity: Sobol' indices</h2>\n<p>The first-order index "
         "of a parameter is the share of the metric's variance (over the design) that it explains "
         "alone; the total index adds its interactions with the others. A total index near 0 "
         "means the parameter hardly matters in the ranges swept; a total index well above the "
         "first-order one means it acts through interactions. Lines are bootstrap 95% "
         "intervals; with few base points indices can stray below 0 or above 1.</p>\n";
    const h5::Field *arm = field(r.sobol, "arm"), *metric = field(r.sobol, "metric"),
                    *param = field(r.sobol, "parameter");
    const char* names[] = {"first", "first_low", "first_high", "total", "total_low", "total_high"};
    std::vector<const h5::Field*> values;
    for (const char* n : names) values.push_back(field(r.sobol, n));
    if (arm && metric && param &&
        std::all_of(values.begin(), values.end(), [](auto* f) { return f != nullptr; })) {
      std::map<std::string, size_t> param_index;
      for (size_t i = 0; i < L.parameters.size(); ++i) param_index[L.parameters[i]] = i;
      for (const std::string& m : L.metrics) {
        std::map<std::pair<size_t, size_t>, Index> idx;
        std::string table =
            "<table><tr><th>parameter</th><th>arm</th><th>first order</th>"
            "<th>95% interval</th><th>total</th><th>95% interval</th></tr>\n";
        for (size_t k = 0; k < r.sobol.rows(); ++k) {
          if (metric->strings[k] != m) continue;
          const Index i{values[0]->numbers[k], values[1]->numbers[k], values[2]->numbers[k],
                        values[3]->numbers[k], values[4]->numbers[k], values[5]->numbers[k]};
          idx[{param_index[param->strings[k]], arm_index[arm->strings[k]]}] = i;
          table += fmt::format(
              "<tr><td><code>{}</code></td><td>{}</td><td class=\"n\">{}</td>"
              "<td class=\"n\">[{}, {}]</td><td class=\"n\">{}</td>"
              "<td class=\"n\">[{}, {}]</td></tr>\n",
              escape(param->strings[k]), escape(arm->strings[k]), num(i.first), num(i.first_low),
              num(i.first_high), num(i.total), num(i.total_low), num(i.total_high));
        }
        h += fmt::format("<h3 id=\"sobol-{0}\">{0}</h3>\n", escape(m));
        h += sobol_chart(m, L.parameters, L.arms, idx);
        h += "\n<details><summary>numbers</summary>" + table + "</table></details>\n";
      }
    }
    h += "</section>\n";
  }

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
      "<li>Each sample ran {} replicate(s) per arm, seeded from the design seed {}, the "
      "sample and the replicate; arms of a sample and replicate share every random "
      "number. Noise between replicates adds to the variance the indices divide, so "
      "with few replicates small indices are not distinguishable from 0.</li>",
      L.replicates, L.design_seed);
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
  const std::string html = render_sweep_report(results);
  write_atomically(path, overwrite, [&](const std::filesystem::path& temp) {
    std::ofstream out(temp, std::ios::binary);
    out << html;
    out.close();
    if (!out)
      throw std::runtime_error(fmt::format("{}: error: cannot write the report", path.string()));
  });
}

}  // namespace fourp::report
