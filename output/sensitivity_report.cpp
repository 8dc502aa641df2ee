#include "output/sensitivity_report.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>

#include <fmt/format.h>

#include "output/plot_axes.h"
#include "output/svg_chart.h"
#include "sim/number_words.h"
#include "sim/sensitivity.h"

namespace fourp::report {

namespace {

using svg::escape;

// A table's columns by name; `ok` is false when one is missing (a damaged or foreign file: the
// section then says so instead of drawing).
struct Columns {
  const h5::Table& table;
  bool ok = true;
  std::string missing;
  const h5::Field* get(const std::string& name) {
    const h5::Field* f = field(table, name);
    if (!f && ok) ok = false, missing = name;
    return f;
  }
};

std::string missing_note(const std::string& table, const std::string& column) {
  return fmt::format(
      "<p class=\"note\">The file's <code>/{}</code> table lacks the column "
      "<code>{}</code>; nothing is drawn.</p>\n",
      table, escape(column));
}

// The rows of a per-(arm, metric, parameter) table, keyed by (metric, parameter, arm) indices.
std::map<std::tuple<size_t, size_t, size_t>, size_t> index_rows(const SweepLayout& L,
                                                                const h5::Field& arm,
                                                                const h5::Field& metric,
                                                                const h5::Field& param) {
  auto pos = [](const std::vector<std::string>& v, const std::string& s) -> std::optional<size_t> {
    auto it = std::find(v.begin(), v.end(), s);
    if (it == v.end()) return std::nullopt;
    return static_cast<size_t>(it - v.begin());
  };
  std::map<std::tuple<size_t, size_t, size_t>, size_t> out;
  for (size_t k = 0; k < arm.strings.size(); ++k) {
    auto a = pos(L.arms, arm.strings[k]), m = pos(L.metrics, metric.strings[k]),
         p = pos(L.parameters, param.strings[k]);
    if (a && m && p) out[{*m, *p, *a}] = k;
  }
  return out;
}

std::string percent(double share) {
  return std::isfinite(share) ? fmt::format("{:.0f}%", 100 * share) : "–";
}

// --- Sobol' -----------------------------------------------------------------------------------

struct SobolCells {
  const h5::Field *read, *estimator, *v[6], *half[2], *quarter[2], *det[2], *needed, *needed_reps;
};

// What an undetermined index needs: "about 512 base samples and 12 replicates (40,960 runs)";
// `brief` (for the chart): "needs ≈512 base samples, 12 replicates".
std::string needed_words(const SweepLayout& L, const SobolCells& c, size_t k, bool brief = false) {
  const double base = c.needed->numbers[k], reps = c.needed_reps->numbers[k];
  std::vector<std::string> parts;
  if (base > L.sobol_base)
    parts.push_back(fmt::format("{}{} base samples", brief ? "≈" : "about ", thousands(base)));
  if (reps > L.replicates) parts.push_back(fmt::format("{} replicates", thousands(reps)));
  if (parts.empty())
    return brief ? "needs more samples or replicates" : "more base samples or replicates";
  // Past a million base samples or ten thousand replicates the estimate is not going to settle:
  // the metric hardly varies over these ranges, or varies mostly by chance.
  if (base > 1048576 || reps > 10000)
    return brief ? "not estimable at a practical size"
                 : "more samples and replicates than is practical: the metric varies little "
                   "over these ranges, or mostly by chance";
  if (brief) return "needs " + fmt::format("{}", fmt::join(parts, ", "));
  const double runs = std::max<double>(base, L.sobol_base) * (L.parameters.size() + 2) *
                      L.arms.size() * std::max<double>(reps, L.replicates);
  return fmt::format("{} ({} runs)", fmt::join(parts, " and "), thousands(runs));
}

// One metric's chart: per parameter a group of rows, one per arm, each with the first-order index
// (solid bar) and the total index (light bar) with 95% whiskers where determined, and words where
// not.
std::string sobol_chart(const SweepLayout& L, size_t m, const SobolCells& c,
                        const std::map<std::tuple<size_t, size_t, size_t>, size_t>& rows) {
  const size_t P = L.parameters.size(), A = L.arms.size();
  const double row_h = 26, group_head = 18, group_gap = 8, left = 150, right = 20, top = 6,
               bottom = 40, W = 720;
  const double H = top + bottom + P * (group_head + A * row_h + group_gap);
  // The axis spans 0 to 1 and every determined estimate and interval: nothing drawn is clipped.
  double lo = 0, hi = 1;
  for (const auto& [key, k] : rows) {
    if (std::get<0>(key) != m || c.read->numbers[k] == 0) continue;
    for (int i = 0; i < 2; ++i) {
      if (c.det[i]->numbers[k] == 0) continue;
      for (int j = 0; j < 3; ++j)
        if (double v = c.v[3 * i + j]->numbers[k]; std::isfinite(v))
          lo = std::min(lo, v), hi = std::max(hi, v);
    }
  }
  const Scale x{lo, hi, left, W - right};
  std::string out = fmt::format(
      R"~(<svg class="bars" viewBox="0 0 {} {:.0f}" width="{}" height="{:.0f}" role="img"><title>Sobol' indices of {}</title>)~",
      W, H, W, H, escape(L.metrics[m]));
  out += x_axis(x, H - bottom, top,
                "Sobol' index (solid: first order; light: total; lines: 95% intervals)");
  double y = top;
  for (size_t p = 0; p < P; ++p) {
    out += fmt::format(R"~(<text x="4" y="{:.1f}" class="group">{}</text>)~", y + 13,
                       escape(L.parameters[p]));
    y += group_head;
    for (size_t a = 0; a < A; ++a) {
      const double ry = y + a * row_h;
      out += fmt::format(R"~(<text x="{}" y="{:.1f}" text-anchor="end" class="tick">{}</text>)~",
                         left - 6, ry + 15, escape(L.arms[a]));
      auto it = rows.find({m, p, a});
      if (it == rows.end()) continue;
      const size_t k = it->second;
      if (c.read->numbers[k] == 0) {
        out += fmt::format(
            R"~(<text x="{:.1f}" y="{:.1f}" class="unknown">not used by this arm</text>)~",
            left + 4, ry + 15);
        continue;
      }
      const std::string colour = svg::arm_colour(a);
      const char* what[] = {"first order", "total"};
      for (int i = 0; i < 2; ++i) {
        const double by = ry + 2 + 12 * i;
        const double v = c.v[3 * i]->numbers[k], low = c.v[3 * i + 1]->numbers[k],
                     high = c.v[3 * i + 2]->numbers[k];
        if (c.det[i]->numbers[k] == 0) {
          out += fmt::format(
              R"~(<text x="{:.1f}" y="{:.1f}" class="unknown">{} undetermined: {} [{}, {}]; {}</text>)~",
              left + 4, by + 9, what[i], num(v), num(low), num(high),
              escape(needed_words(L, c, k, true)));
          continue;
        }
        const double x0 = x(0), x1 = x(v);
        out += fmt::format(
            R"~(<rect x="{:.1f}" y="{:.1f}" width="{:.1f}" height="8" fill="{}" fill-opacity="{}"><title>{} index of {}, {}: {} [{}, {}]</title></rect>)~",
            std::min(x0, x1), by, std::fabs(x1 - x0), colour, i == 0 ? 1.0 : 0.35, what[i],
            escape(L.parameters[p]), escape(L.arms[a]), num(v), num(low), num(high));
        out += fmt::format(
            R"~(<line x1="{0:.1f}" y1="{2:.1f}" x2="{1:.1f}" y2="{2:.1f}" stroke="#222"/><line x1="{0:.1f}" y1="{3:.1f}" x2="{0:.1f}" y2="{4:.1f}" stroke="#222"/><line x1="{1:.1f}" y1="{3:.1f}" x2="{1:.1f}" y2="{4:.1f}" stroke="#222"/>)~",
            x(low), x(high), by + 4, by + 1, by + 7);
      }
    }
    y += A * row_h + group_gap;
  }
  out += fmt::format(R"~(<line x1="{0:.1f}" y1="{1}" x2="{0:.1f}" y2="{2:.1f}" stroke="#888"/>)~",
                     x(0), top, H - bottom);
  return out + "</svg>";
}

// --- Morris -----------------------------------------------------------------------------------

// One metric's μ*–σ chart: a point per (parameter, arm), numbered by parameter, coloured by arm,
// with μ*'s 95% interval as a horizontal line.
std::string morris_chart(const SweepLayout& L, size_t m, const h5::Field* const* v,
                         const h5::Field& read,
                         const std::map<std::tuple<size_t, size_t, size_t>, size_t>& rows) {
  const double W = 560, H = 360, left = 64, right = 16, top = 10, bottom = 42;
  double xhi = 0, yhi = 0;
  size_t shown = 0;
  for (const auto& [key, k] : rows) {
    if (std::get<0>(key) != m || read.numbers[k] == 0) continue;
    for (int j = 0; j < 3; ++j)
      if (double x = v[j]->numbers[k]; std::isfinite(x)) xhi = std::max(xhi, x);
    if (double s = v[6]->numbers[k]; std::isfinite(s)) yhi = std::max(yhi, s);
    ++shown;
  }
  std::string out = fmt::format(
      R"~(<svg class="plot" viewBox="0 0 {} {}" width="{}" height="{}" role="img"><title>Morris μ* and σ of {}</title>)~",
      W, H, W, H, escape(L.metrics[m]));
  if (shown == 0)
    return out +
           fmt::format(
               R"~(<text x="{}" y="{}" text-anchor="middle" class="label">no arm reads a swept parameter, or {} is undefined</text></svg>)~",
               W / 2, H / 2, escape(L.metrics[m]));
  const double top_v = std::max(xhi, yhi) > 0 ? std::max(xhi, yhi) * 1.05 : 1;
  const Scale x{0, top_v, left, W - right}, y{0, top_v, H - bottom, top};
  out += y_axis(y, left, W - right, "σ (spread of the effects)");
  out += x_axis(x, H - bottom, top, "μ* (mean absolute elementary effect)");
  // σ = μ*: above it, effects change sign or size with the other parameters.
  out += fmt::format(
      R"~(<line x1="{:.1f}" y1="{:.1f}" x2="{:.1f}" y2="{:.1f}" stroke="#bbb" stroke-dasharray="4 3"/>)~",
      x(0), y(0), x(top_v), y(top_v));
  for (const auto& [key, k] : rows) {
    const auto [mm, p, a] = key;
    if (mm != m || read.numbers[k] == 0) continue;
    const double mu = v[0]->numbers[k], lo = v[1]->numbers[k], hi = v[2]->numbers[k],
                 s = v[6]->numbers[k];
    if (!std::isfinite(mu) || !std::isfinite(s)) continue;
    const std::string colour = svg::arm_colour(a);
    if (std::isfinite(lo) && std::isfinite(hi))
      out += fmt::format(
          R"~(<line x1="{:.1f}" y1="{:.1f}" x2="{:.1f}" y2="{:.1f}" stroke="{}" stroke-opacity="0.6"/>)~",
          x(lo), y(s), x(hi), y(s), colour);
    out += fmt::format(
        R"~(<circle cx="{:.1f}" cy="{:.1f}" r="3.5" fill="{}"><title>{}, {}: μ* {} [{}, {}], σ {}</title></circle><text x="{:.1f}" y="{:.1f}" class="tick">{}</text>)~",
        x(mu), y(s), colour, escape(L.parameters[p]), escape(L.arms[a]), num(mu), num(lo), num(hi),
        num(s), x(mu) + 5, y(s) - 4, p + 1);
  }
  return out + "</svg>";
}

}  // namespace

std::string noise_section(const SweepResults& r) {
  const SweepLayout& L = r.info.layout;
  if (r.noise.fields.empty()) return "";
  std::string h =
      "<section id=\"noise\"><h2>How much is chance: replicate noise</h2>\n<p>The share of "
      "each metric's variation over the sweep that is noise between replicates of the same "
      "sample (the sum of squares within samples against that of every run about the overall "
      "mean). Where it "
      "is high, the parameters explain little of what single runs do, and more replicates per "
      "sample sharpen the sensitivity estimates more than more samples.</p>\n";
  Columns c{r.noise};
  const h5::Field *arm = c.get("arm"), *metric = c.get("metric"),
                  *share = c.get("stochastic_share");
  if (!c.ok) return h + missing_note("noise", c.missing) + "</section>\n";
  if (L.replicates < 2)
    return h +
           "<p class=\"note\">One replicate per sample: the noise cannot be told apart from "
           "the parameters' effects.</p></section>\n";
  h += "<table><tr><th>metric</th>";
  for (const auto& a : L.arms) h += fmt::format("<th>{}</th>", escape(a));
  h += "</tr>\n";
  for (const std::string& m : L.metrics) {
    h += fmt::format("<tr><td>{}</td>", escape(m));
    for (const std::string& a : L.arms) {
      double v = NAN;
      for (size_t k = 0; k < r.noise.rows(); ++k)
        if (arm->strings[k] == a && metric->strings[k] == m) v = share->numbers[k];
      h += fmt::format("<td class=\"n\">{}</td>", percent(v));
    }
    h += "</tr>\n";
  }
  return h +
         "</table>\n<p class=\"note\">–: a ratio of means (no value of one replicate), or a "
         "metric undefined in some samples.</p></section>\n";
}

std::string sobol_section(const SweepResults& r) {
  if (r.sobol.fields.empty()) return "";
  const SweepLayout& L = r.info.layout;
  std::string h = fmt::format(
      "<section id=\"sobol\"><h2>Sensitivity: Sobol' indices</h2>\n<p>The first-order index of "
      "a parameter is the share of the metric's variance (over the design) that it explains "
      "alone; the total index adds its interactions with the others. A total index near 0 means "
      "the parameter hardly matters in the ranges swept; a total index well above the "
      "first-order one means it acts through interactions. Lines are bootstrap 95% intervals "
      "over the {} base points.</p>\n<p>{} {}</p>\n<p>An index is drawn only when it is "
      "<strong>determined</strong>: its interval is at most {} wide and it moved by at most {} "
      "between {} and {} base points; otherwise it is written out as undetermined, with the "
      "samples it would need. A parameter an arm never reads (an intervention the arm does not "
      "run, or a value the arm sets itself) is marked <em>not used by this arm</em>, not "
      "estimated.</p>\n",
      L.sobol_base,
      L.replicates >= 2
          ? fmt::format("With {} replicates per sample the indices are those of the <strong>mean "
                        "response</strong>: the noise of the replicate means is removed by "
                        "estimators that multiply only values of different replicates (a ratio "
                        "metric, which has no value of one replicate, uses the plain estimators "
                        "on the means).",
                        L.replicates)
          : std::string("With one replicate per sample the indices are those of a single run's "
                        "output: replicate noise cannot be separated from the parameters' "
                        "effects."),
      L.independent_seeds
          ? "Each sample ran with seeds of its own (design.independent_seeds), so replicate "
            "noise enters every difference between samples."
          : "Replicate r of every sample used the same random numbers (common random numbers), "
            "so differences between samples are the parameters' doing.",
      plain_value(kMaxIntervalWidth), plain_value(kMaxMovement), L.sobol_base / 2, L.sobol_base);
  Columns c{r.sobol};
  SobolCells cells{};
  const h5::Field *arm = c.get("arm"), *metric = c.get("metric"), *param = c.get("parameter");
  cells.read = c.get("read");
  cells.estimator = c.get("estimator");
  const char* names[] = {"first", "first_low", "first_high", "total", "total_low", "total_high"};
  for (int i = 0; i < 6; ++i) cells.v[i] = c.get(names[i]);
  cells.half[0] = c.get("first_half"), cells.half[1] = c.get("total_half");
  cells.quarter[0] = c.get("first_quarter"), cells.quarter[1] = c.get("total_quarter");
  cells.det[0] = c.get("first_determined"), cells.det[1] = c.get("total_determined");
  cells.needed = c.get("needed_base_samples");
  cells.needed_reps = c.get("needed_replicates");
  if (!c.ok) return h + missing_note("sobol", c.missing) + "</section>\n";
  const auto rows = index_rows(L, *arm, *metric, *param);
  for (size_t m = 0; m < L.metrics.size(); ++m) {
    h += fmt::format("<h3 id=\"sobol-{0}\">{0}</h3>\n", escape(L.metrics[m]));
    h += sobol_chart(L, m, cells, rows);
    std::string table = fmt::format(
        "<table><tr><th>parameter</th><th>arm</th><th>first order</th><th>95% interval</th>"
        "<th>at N/4, N/2</th><th>total</th><th>95% interval</th><th>at N/4, N/2</th>"
        "<th>status</th></tr>\n");
    for (const auto& [key, k] : rows) {
      if (std::get<0>(key) != m) continue;
      const std::string& p = param->strings[k];
      if (cells.read->numbers[k] == 0) {
        table += fmt::format(
            "<tr><td><code>{}</code></td><td>{}</td><td colspan=\"7\">not used "
            "by this arm</td></tr>\n",
            escape(p), escape(arm->strings[k]));
        continue;
      }
      const bool both = cells.det[0]->numbers[k] != 0 && cells.det[1]->numbers[k] != 0;
      table += fmt::format(
          "<tr><td><code>{}</code></td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">[{}, "
          "{}]</td><td class=\"n\">{}, {}</td><td class=\"n\">{}</td><td class=\"n\">[{}, "
          "{}]</td><td class=\"n\">{}, {}</td><td>{}</td></tr>\n",
          escape(p), escape(arm->strings[k]), num(cells.v[0]->numbers[k]),
          num(cells.v[1]->numbers[k]), num(cells.v[2]->numbers[k]),
          num(cells.quarter[0]->numbers[k]), num(cells.half[0]->numbers[k]),
          num(cells.v[3]->numbers[k]), num(cells.v[4]->numbers[k]), num(cells.v[5]->numbers[k]),
          num(cells.quarter[1]->numbers[k]), num(cells.half[1]->numbers[k]),
          both ? "determined" : escape("undetermined — needs " + needed_words(L, cells, k)));
    }
    h += "\n<details><summary>numbers</summary>" + table + "</table></details>\n";
  }
  return h + "</section>\n";
}

std::string morris_section(const SweepResults& r) {
  if (r.morris.fields.empty()) return "";
  const SweepLayout& L = r.info.layout;
  std::string h = fmt::format(
      "<section id=\"morris\"><h2>Screening: Morris elementary effects</h2>\n<p>{} trajectories "
      "of {} one-at-a-time steps on a grid of {} levels per parameter. An elementary effect is "
      "the change of a metric's mean when one parameter moves by {} of its range, scaled to the "
      "whole range. <strong>μ*</strong>, the mean of their absolute values, ranks how much a "
      "parameter matters; <strong>μ</strong> keeps their sign; <strong>σ</strong>, their spread, "
      "is large when the effect depends on the other parameters (interactions, or a curved "
      "response). Points above the dashed line σ = μ* are such parameters; points near 0 can be "
      "fixed before a Sobol' study. Lines are bootstrap 95% intervals of μ* over "
      "trajectories.</p>\n",
      L.morris_trajectories, L.parameters.size(), L.morris_levels,
      plain_value(L.morris_levels / (2.0 * (L.morris_levels - 1))));
  Columns c{r.morris};
  const h5::Field *arm = c.get("arm"), *metric = c.get("metric"), *param = c.get("parameter"),
                  *read = c.get("read");
  const char* names[] = {"mu_star", "mu_star_low", "mu_star_high", "mu",        "mu_low",
                         "mu_high", "sigma",       "sigma_low",    "sigma_high"};
  const h5::Field* v[9];
  for (int i = 0; i < 9; ++i) v[i] = c.get(names[i]);
  if (!c.ok) return h + missing_note("morris", c.missing) + "</section>\n";
  const auto rows = index_rows(L, *arm, *metric, *param);
  h += "<p class=\"legend\">";
  for (size_t p = 0; p < L.parameters.size(); ++p)
    h += fmt::format("<span>{} <code>{}</code></span>", p + 1, escape(L.parameters[p]));
  h += "</p>\n<p class=\"legend\">";
  for (size_t a = 0; a < L.arms.size(); ++a)
    h += fmt::format("<span><i style=\"background:{}\"></i>{}</span>", svg::arm_colour(a),
                     escape(L.arms[a]));
  h += "</p>\n";
  for (size_t m = 0; m < L.metrics.size(); ++m) {
    h += fmt::format("<h3 id=\"morris-{0}\">{0}</h3>\n", escape(L.metrics[m]));
    h += morris_chart(L, m, v, *read, rows);
    std::string table =
        "<table><tr><th>parameter</th><th>arm</th><th>μ*</th><th>95% interval</th><th>μ</th>"
        "<th>95% interval</th><th>σ</th><th>95% interval</th></tr>\n";
    for (const auto& [key, k] : rows) {
      if (std::get<0>(key) != m) continue;
      if (read->numbers[k] == 0) {
        table += fmt::format(
            "<tr><td><code>{}</code></td><td>{}</td><td colspan=\"6\">not used "
            "by this arm</td></tr>\n",
            escape(param->strings[k]), escape(arm->strings[k]));
        continue;
      }
      table += fmt::format("<tr><td><code>{}</code></td><td>{}</td>", escape(param->strings[k]),
                           escape(arm->strings[k]));
      for (int i = 0; i < 3; ++i)
        table += fmt::format("<td class=\"n\">{}</td><td class=\"n\">[{}, {}]</td>",
                             num(v[3 * i]->numbers[k]), num(v[3 * i + 1]->numbers[k]),
                             num(v[3 * i + 2]->numbers[k]));
      table += "</tr>\n";
    }
    h += "\n<details><summary>numbers</summary>" + table + "</table></details>\n";
  }
  return h + "</section>\n";
}

}  // namespace fourp::report
