#include "output/svg_chart.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "sim/number_words.h"

namespace fourp::svg {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr const char* kFont = "system-ui, -apple-system, 'Segoe UI', Helvetica, Arial, sans-serif";
constexpr const char* kAxis = "#555";
constexpr const char* kGrid = "#e3e3e3";
constexpr const char* kInk = "#222";

// Coordinates with one decimal: sub-pixel precision is invisible and would only bloat the file.
std::string px(double v) {
  if (std::fabs(v) < 0.05) return "0";
  std::string s = fmt::format("{:.1f}", v);
  if (s.size() > 2 && s.compare(s.size() - 2, 2, ".0") == 0) s.resize(s.size() - 2);
  return s;
}

// Rough width of text in the chart font: enough to lay out legends and margins.
double text_width(std::string_view s, double font_size) {
  size_t chars = 0;
  for (char c : s)
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++chars;
  return static_cast<double>(chars) * font_size * 0.58;
}

bool finite(double v) {
  return std::isfinite(v);
}

std::string open_svg(double w, double h, std::string_view title) {
  return fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 {0} {1}\" "
      "width=\"{0}\" height=\"{1}\" role=\"img\" font-family=\"{2}\" font-size=\"12\" "
      "fill=\"{3}\"><title>{4}</title>\n",
      px(w), px(h), kFont, kInk, escape(title));
}

std::string text(double x, double y, std::string_view s, std::string_view anchor = "start",
                 std::string_view extra = "") {
  return fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"{}\"{}{}>{}</text>\n", px(x), px(y),
                     anchor, extra.empty() ? "" : " ", extra, escape(s));
}

std::string line(double x1, double y1, double x2, double y2, std::string_view stroke,
                 std::string_view extra = "") {
  return fmt::format("<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{}\"{}{}/>\n", px(x1),
                     px(y1), px(x2), px(y2), stroke, extra.empty() ? "" : " ", extra);
}

std::string title_text(double x, std::string_view title) {
  return text(x, 18, title, "start", "font-size=\"13\" font-weight=\"600\"");
}

// A linear map from data to pixels for one axis.
struct Scale {
  double lo = 0, hi = 1;    // data
  double from = 0, to = 1;  // pixels (to < from for a y axis)
  double operator()(double v) const { return from + (v - lo) / (hi - lo) * (to - from); }
};

// The data range of `values` widened to nice ticks; [0, 1] when there is no finite value.
struct Range {
  double lo = kNaN, hi = kNaN;
  void add(double v) {
    if (!finite(v)) return;
    lo = std::isnan(lo) ? v : std::min(lo, v);
    hi = std::isnan(hi) ? v : std::max(hi, v);
  }
  void finish() {
    if (std::isnan(lo)) lo = 0, hi = 1;
    if (lo == hi) {  // one value: give it room either side
      const double pad = lo == 0 ? 1 : std::fabs(lo) * 0.1;
      lo -= pad, hi += pad;
    }
  }
};

// Horizontal grid lines and y tick labels; vertical x ticks and labels; the axis titles.
struct Axes {
  Scale x, y;
  std::vector<double> x_ticks, y_ticks;
  TickFormat x_format = plain_tick, y_format = plain_tick;
  std::string x_label, y_label;
  bool x_grid = false;

  std::string draw() const {
    std::string out;
    const double y_step = y_ticks.size() > 1 ? y_ticks[1] - y_ticks[0] : 1;
    const double x_step = x_ticks.size() > 1 ? x_ticks[1] - x_ticks[0] : 1;
    for (double t : y_ticks) {
      out += line(x.from, y(t), x.to, y(t), kGrid);
      out += text(x.from - 6, y(t) + 4, y_format(t, y_step), "end", "font-size=\"11\"");
    }
    for (double t : x_ticks) {
      if (x_grid) out += line(x(t), y.from, x(t), y.to, kGrid);
      out += line(x(t), y.from, x(t), y.from + 4, kAxis);
      out += text(x(t), y.from + 16, x_format(t, x_step), "middle", "font-size=\"11\"");
    }
    out += line(x.from, y.from, x.to, y.from, kAxis);
    out += line(x.from, y.from, x.from, y.to, kAxis);
    out += text((x.from + x.to) / 2, y.from + 34, x_label, "middle");
    const double ymid = (y.from + y.to) / 2;
    out += fmt::format(
        "<text transform=\"translate(14 {}) rotate(-90)\" text-anchor=\"middle\">"
        "{}</text>\n",
        px(ymid), escape(y_label));
    return out;
  }
};

// Ticks of [lo, hi] and the range widened to the outer ticks.
std::vector<double> widen(Range& r, int count) {
  std::vector<double> t = nice_ticks(r.lo, r.hi, count);
  if (!t.empty()) r.lo = std::min(r.lo, t.front()), r.hi = std::max(r.hi, t.back());
  return t;
}

// Ticks inside [lo, hi] only (time axes end where the data ends).
std::vector<double> inside(double lo, double hi, int count) {
  std::vector<double> t;
  for (double v : nice_ticks(lo, hi, count))
    if (v >= lo - 1e-9 * std::fabs(hi - lo) && v <= hi + 1e-9 * std::fabs(hi - lo)) t.push_back(v);
  return t;
}

struct LegendItem {
  std::string name, colour;
};

// Legend items laid out left to right in rows from (x, y); returns the SVG and the rows used.
std::pair<std::string, int> legend(const std::vector<LegendItem>& items, double x, double y,
                                   double width, bool band) {
  std::string out;
  double cx = x;
  int rows = items.empty() ? 0 : 1;
  for (const LegendItem& it : items) {
    const double w = 26 + text_width(it.name, 12) + 16;
    if (cx > x && cx + w > x + width) cx = x, y += 18, ++rows;
    if (band)
      out += fmt::format(
          "<rect x=\"{}\" y=\"{}\" width=\"20\" height=\"10\" fill=\"{}\" "
          "fill-opacity=\"0.2\"/>\n",
          px(cx), px(y - 9), it.colour);
    out += line(cx, y - 4, cx + 20, y - 4, it.colour, "stroke-width=\"2.5\"");
    out += text(cx + 26, y, it.name);
    cx += w;
  }
  return {out, rows};
}

// Index ranges [first, last) where every one of the given vectors is finite.
std::vector<std::pair<size_t, size_t>> finite_runs(
    const std::vector<const std::vector<double>*>& vs, size_t n) {
  std::vector<std::pair<size_t, size_t>> runs;
  size_t start = n;
  for (size_t i = 0; i <= n; ++i) {
    bool ok = i < n;
    for (const auto* v : vs) ok = ok && finite((*v)[i]);
    if (ok && start == n) start = i;
    if (!ok && start != n) runs.emplace_back(start, i), start = n;
  }
  return runs;
}

}  // namespace

std::string arm_colour(size_t i) {
  // Vermillion before blue: the fifth arm should not be a second light/dark blue pair.
  static const std::array<const char*, 8> kOkabeIto = {"#000000", "#E69F00", "#56B4E9", "#009E73",
                                                       "#D55E00", "#0072B2", "#CC79A7", "#F0E442"};
  return kOkabeIto[i % kOkabeIto.size()];
}

std::string heat_colour(double t) {
  if (!finite(t)) return "#eeeeee";
  // viridis at tenths (matplotlib): perceptually uniform, readable in grey and by the common
  // colour vision deficiencies.
  static const std::array<std::array<int, 3>, 11> kStops = {{{68, 1, 84},
                                                             {72, 36, 117},
                                                             {65, 68, 135},
                                                             {53, 95, 141},
                                                             {42, 120, 142},
                                                             {33, 145, 140},
                                                             {34, 168, 132},
                                                             {68, 191, 112},
                                                             {122, 209, 81},
                                                             {189, 223, 38},
                                                             {253, 231, 37}}};
  t = std::clamp(t, 0.0, 1.0) * 10;
  const size_t k = std::min<size_t>(static_cast<size_t>(t), 9);
  const double f = t - static_cast<double>(k);
  std::array<int, 3> c{};
  for (size_t i = 0; i < 3; ++i)
    c[i] = static_cast<int>(std::lround(kStops[k][i] + f * (kStops[k + 1][i] - kStops[k][i])));
  return fmt::format("#{:02x}{:02x}{:02x}", c[0], c[1], c[2]);
}

std::string escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  return out;
}

std::string plain_tick(double value, double step) {
  if (!finite(value)) return "";
  // As many decimals as the spacing needs to be exact (0.25 needs two, 0.5 one, 50 none).
  int decimals = 0;
  if (step > 0 && finite(step))
    while (decimals < 6) {
      const double scaled = step * std::pow(10.0, decimals);
      if (std::fabs(scaled - std::round(scaled)) < 1e-6 * scaled) break;
      ++decimals;
    }
  std::string s = fmt::format("{:.{}f}", std::fabs(value), decimals);
  const size_t dot = s.find('.');
  s = group_thousands(s.substr(0, dot)) + (dot == std::string::npos ? "" : s.substr(dot));
  const bool zero = s.find_first_not_of("0.,") == std::string::npos;
  return (value < 0 && !zero ? "\u2212" : "") + s;
}

std::string percent_tick(double value, double step) {
  return plain_tick(value * 100, step * 100) + "%";
}

std::vector<double> nice_ticks(double lo, double hi, int count) {
  if (!finite(lo) || !finite(hi) || count < 1) return {};
  if (lo > hi) std::swap(lo, hi);
  if (lo == hi) return {lo};
  const double raw = (hi - lo) / count;
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  double step = mag;
  for (double m : {1.0, 2.0, 2.5, 5.0, 10.0})
    if (m * mag >= raw * 0.999) {
      step = m * mag;
      break;
    }
  std::vector<double> t;
  const double first = std::floor(lo / step + 1e-9) * step;
  for (double v = first; v <= hi + step * (1 - 1e-9); v += step) {
    t.push_back(std::fabs(v) < step * 1e-9 ? 0.0 : v);
    if (v >= hi - step * 1e-9) break;
  }
  return t;
}

std::string line_chart(const LineChart& c) {
  // The right margin holds half of the last tick label ("10,000").
  const double left = 66, right = 28, top = 30, bottom = 46;
  Range xr, yr;
  for (const BandSeries& s : c.series) {
    for (double v : s.x) xr.add(v);
    for (const auto* v : {&s.y, &s.low, &s.high})
      for (double y : *v) yr.add(y);
  }
  if (c.y_from_zero) yr.add(0);
  xr.finish();
  yr.finish();
  if (c.y_min) yr.lo = *c.y_min;
  if (c.y_max) yr.hi = *c.y_max;
  Axes ax;
  ax.y_ticks = widen(yr, 5);
  ax.x_ticks = inside(xr.lo, xr.hi, 6);
  ax.x = {xr.lo, xr.hi, left, c.size.width - right};
  ax.y = {yr.lo, yr.hi, c.size.height - bottom, top};
  ax.y_format = c.y_format;
  ax.x_label = c.x_label;
  ax.y_label = c.y_label;

  std::vector<LegendItem> items;
  bool any_band = false;
  for (const BandSeries& s : c.series) {
    items.push_back({s.name, s.colour});
    any_band = any_band || !s.low.empty();
  }
  auto [legend_svg, rows] =
      legend(items, left, c.size.height + 8, c.size.width - left - right, any_band);
  const double height = c.size.height + 18.0 * rows + (rows ? 4 : 0);

  std::string out = open_svg(c.size.width, height, c.title);
  out += title_text(left, c.title);
  out += ax.draw();
  // Bands first, so that every line stays visible above every band.
  for (const BandSeries& s : c.series) {
    const size_t n = std::min({s.x.size(), s.low.size(), s.high.size()});
    if (n == 0) continue;
    for (auto [a, b] : finite_runs({&s.x, &s.low, &s.high}, n)) {
      std::string pts;
      for (size_t i = a; i < b; ++i) pts += px(ax.x(s.x[i])) + "," + px(ax.y(s.high[i])) + " ";
      for (size_t i = b; i-- > a;) pts += px(ax.x(s.x[i])) + "," + px(ax.y(s.low[i])) + " ";
      pts.pop_back();
      out += fmt::format("<polygon points=\"{}\" fill=\"{}\" fill-opacity=\"0.18\"/>\n", pts,
                         s.colour);
    }
  }
  for (const BandSeries& s : c.series) {
    const size_t n = std::min(s.x.size(), s.y.size());
    for (auto [a, b] : finite_runs({&s.x, &s.y}, n)) {
      std::string d = "M";
      for (size_t i = a; i < b; ++i)
        d += (i == a ? "" : " L") + px(ax.x(s.x[i])) + " " + px(ax.y(s.y[i]));
      out += fmt::format(
          "<path d=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"{}\">"
          "<title>{}</title></path>\n",
          d, s.colour, px(s.width), escape(s.name));
    }
  }
  out += legend_svg;
  return out + "</svg>";
}

std::string heatmap(const Heatmap& m) {
  const double top = 30, bottom = 46, right = 86;
  double label_w = 0;
  for (const std::string& l : m.row_labels) label_w = std::max(label_w, text_width(l, 11));
  const double mark_w = m.mark_meaning.empty() ? 0 : 12;
  const double left = std::max(40.0, label_w + 12 + mark_w) + 28;  // + room for the y title
  const double w = m.size.width - left - right, h = m.size.height - top - bottom;
  std::string out =
      open_svg(m.size.width, m.size.height + (m.mark_meaning.empty() ? 0 : 18), m.title);
  out += title_text(left, m.title);
  if (m.rows == 0 || m.cols == 0) return out + "</svg>";

  const double cw = w / static_cast<double>(m.cols), ch = h / static_cast<double>(m.rows);
  const double span = m.v_max > m.v_min ? m.v_max - m.v_min : 1;
  const auto colour = [&](double v) { return heat_colour((v - m.v_min) / span); };
  // Neighbouring cells of one colour are drawn as one rectangle: a tenth of the size for slowly
  // changing series. crispEdges: no anti-aliased seams between cells.
  out += "<g shape-rendering=\"crispEdges\">\n";
  for (size_t r = 0; r < m.rows; ++r) {
    size_t j = 0;
    while (j < m.cols) {
      const std::string fill = colour(m.values[r * m.cols + j]);
      size_t k = j + 1;
      while (k < m.cols && colour(m.values[r * m.cols + k]) == fill) ++k;
      out +=
          fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\"/>\n",
                      px(left + cw * static_cast<double>(j)), px(top + ch * static_cast<double>(r)),
                      px(cw * static_cast<double>(k - j) + 0.4), px(ch + 0.4), fill);
      j = k;
    }
  }
  out += "</g>\n";
  // Row labels: every row when they fit, else every k-th; marks on every marked row.
  const size_t every = std::max<size_t>(1, static_cast<size_t>(std::ceil(11.0 / ch)));
  for (size_t r = 0; r < m.rows; ++r) {
    const double cy = top + ch * (static_cast<double>(r) + 0.5);
    if (r < m.row_marked.size() && m.row_marked[r])
      out += fmt::format("<circle cx=\"{}\" cy=\"{}\" r=\"3.5\" fill=\"{}\"/>\n", px(left - 7),
                         px(cy), kInk);
    if (r % every == 0 && r < m.row_labels.size())
      out += text(left - 6 - mark_w, cy + 4, m.row_labels[r], "end", "font-size=\"11\"");
  }
  Axes ax;
  ax.x = {m.x_first - m.x_step / 2, m.x_first + m.x_step * (static_cast<double>(m.cols) - 0.5),
          left, left + w};
  ax.x_ticks = inside(m.x_first, m.x_first + m.x_step * static_cast<double>(m.cols - 1), 6);
  for (double t : ax.x_ticks) {
    out += line(ax.x(t), top + h, ax.x(t), top + h + 4, kAxis);
    out += text(ax.x(t), top + h + 16,
                plain_tick(t, ax.x_ticks.size() > 1 ? ax.x_ticks[1] - ax.x_ticks[0] : 1), "middle",
                "font-size=\"11\"");
  }
  out += text(left + w / 2, top + h + 34, m.x_label, "middle");
  out += fmt::format(
      "<text transform=\"translate(14 {}) rotate(-90)\" text-anchor=\"middle\">"
      "{}</text>\n",
      px(top + h / 2), escape(m.y_label));
  // Colour bar: stacked rectangles rather than a gradient, whose id would have to be unique in
  // the whole page.
  const double bx = left + w + 14, bw = 12;
  const int steps = 40;
  for (int i = 0; i < steps; ++i) {
    const double t = (i + 0.5) / steps;
    out += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\"/>\n", px(bx),
                       px(top + h * (1 - double(i + 1) / steps)), px(bw), px(h / steps + 0.4),
                       heat_colour(t));
  }
  const std::vector<double> vt = inside(m.v_min, m.v_max, 4);
  const double vstep = vt.size() > 1 ? vt[1] - vt[0] : 1;
  for (double v : vt) {
    const double y = top + h * (1 - (v - m.v_min) / span);
    out += line(bx + bw, y, bx + bw + 3, y, kAxis);
    out += text(bx + bw + 5, y + 4, m.value_format(v, vstep), "start", "font-size=\"11\"");
  }
  out += fmt::format(
      "<text transform=\"translate({} {}) rotate(-90)\" text-anchor=\"middle\" "
      "font-size=\"11\">{}</text>\n",
      px(m.size.width - 6), px(top + h / 2), escape(m.value_label));
  if (!m.mark_meaning.empty()) {
    const double y = m.size.height + 8;
    out += fmt::format("<circle cx=\"{}\" cy=\"{}\" r=\"3.5\" fill=\"{}\"/>\n", px(left), px(y - 4),
                       kInk);
    out += text(left + 8, y, m.mark_meaning);
  }
  return out + "</svg>";
}

std::string forest(const Forest& f) {
  const double row_h = 28, top = 34, bottom = 46, right = 176;
  double label_w = 0;
  for (const ForestRow& r : f.rows) label_w = std::max(label_w, text_width(r.label, 12));
  const double left = label_w + 24;
  // Long labels (parameter paths) widen the chart rather than squeeze the plot.
  const double width = std::max(f.size.width, left + 260 + right);
  const double height =
      f.size.height > 0 ? f.size.height : top + row_h * static_cast<double>(f.rows.size()) + bottom;
  Range xr;
  xr.add(f.reference);
  for (const ForestRow& r : f.rows)
    for (double v : {r.mean, r.low, r.high}) xr.add(v);
  xr.finish();
  std::vector<double> ticks = widen(xr, 5);
  const Scale x{xr.lo, xr.hi, left, width - right};
  const double y0 = height - bottom;

  std::string out = open_svg(width, height, f.title);
  out += title_text(8, f.title);
  const double step = ticks.size() > 1 ? ticks[1] - ticks[0] : 1;
  for (double t : ticks) {
    out += line(x(t), top - 6, x(t), y0, kGrid);
    out += text(x(t), y0 + 16, f.x_format(t, step), "middle", "font-size=\"11\"");
  }
  out += line(x.from, y0, x.to, y0, kAxis);
  out += line(x(f.reference), top - 6, x(f.reference), y0, kAxis, "stroke-dasharray=\"4 3\"");
  out += text((x.from + x.to) / 2, y0 + 34, f.x_label, "middle");
  out += text(width - right + 12, top - 12, "mean [95% interval]", "start",
              "font-size=\"11\" fill=\"#555\"");
  for (size_t i = 0; i < f.rows.size(); ++i) {
    const ForestRow& r = f.rows[i];
    const double cy = top + row_h * (static_cast<double>(i) + 0.5);
    out += text(left - 10, cy + 4, r.label, "end");
    if (finite(r.low) && finite(r.high)) {
      out += line(x(r.low), cy, x(r.high), cy, r.colour, "stroke-width=\"2.5\"");
      out += line(x(r.low), cy - 5, x(r.low), cy + 5, r.colour, "stroke-width=\"2\"");
      out += line(x(r.high), cy - 5, x(r.high), cy + 5, r.colour, "stroke-width=\"2\"");
    }
    if (finite(r.mean))
      out += fmt::format("<circle cx=\"{}\" cy=\"{}\" r=\"5\" fill=\"{}\" stroke=\"#fff\"/>\n",
                         px(x(r.mean)), px(cy), r.colour);
    const std::string value =
        finite(r.mean) ? fmt::format("{} [{}, {}]", f.x_format(r.mean, step / 100),
                                     f.x_format(r.low, step / 100), f.x_format(r.high, step / 100))
                       : "n/a";
    out += text(width - right + 12, cy + 4, value, "start", "font-size=\"11\"");
  }
  return out + "</svg>";
}

std::string scatter(const Scatter& s) {
  const double left = 76, right = 20, top = 30, bottom = 46;
  Range xr, yr;
  xr.add(0), yr.add(0);
  for (const ScatterPoint& p : s.points) {
    for (double v : {p.x, p.x_low, p.x_high}) xr.add(v);
    for (double v : {p.y, p.y_low, p.y_high}) yr.add(v);
  }
  for (const auto& [x, y] : s.path) xr.add(x), yr.add(y);
  xr.finish();
  yr.finish();
  Axes ax;
  ax.x_ticks = widen(xr, 5);
  ax.y_ticks = widen(yr, 5);
  ax.x = {xr.lo, xr.hi, left, s.size.width - right};
  ax.y = {yr.lo, yr.hi, s.size.height - bottom, top};
  ax.x_format = s.x_format;
  ax.y_format = s.y_format;
  ax.x_label = s.x_label;
  ax.y_label = s.y_label;
  ax.x_grid = true;

  std::string out = open_svg(s.size.width, s.size.height, s.title);
  out += title_text(left, s.title);
  out += ax.draw();
  out += line(ax.x(0), ax.y.from, ax.x(0), ax.y.to, kAxis, "stroke-dasharray=\"4 3\"");
  out += line(ax.x.from, ax.y(0), ax.x.to, ax.y(0), kAxis, "stroke-dasharray=\"4 3\"");
  if (!s.path.empty()) {
    std::string points;
    for (const auto& [x, y] : s.path)
      if (finite(x) && finite(y)) points += fmt::format("{},{} ", px(ax.x(x)), px(ax.y(y)));
    out += fmt::format(
        "<polyline points=\"{}\" fill=\"none\" stroke=\"#999\" stroke-width=\"2\"/>\n", points);
    if (!s.path_label.empty()) {
      const double y = top + 4;
      out += line(ax.x.to - text_width(s.path_label, 11) - 30, y,
                  ax.x.to - text_width(s.path_label, 11) - 8, y, "#999", "stroke-width=\"2\"");
      out += text(ax.x.to - 4, y + 4, s.path_label, "end", "font-size=\"11\"");
    }
  }
  struct Box {
    double x0, y0, x1, y1;
    bool hits(const Box& o) const { return x0 < o.x1 && o.x0 < x1 && y0 < o.y1 && o.y0 < y1; }
  };
  // Every point is an obstacle for every label (a label beside the wrong point misleads).
  std::vector<Box> taken;
  for (const ScatterPoint& p : s.points)
    if (finite(p.x) && finite(p.y))
      taken.push_back({ax.x(p.x) - 7, ax.y(p.y) - 7, ax.x(p.x) + 7, ax.y(p.y) + 7});
  const Box plot{ax.x.from, ax.y.to, ax.x.to, ax.y.from};
  std::string labels;
  for (const ScatterPoint& p : s.points) {
    if (!finite(p.x) || !finite(p.y)) continue;
    const double cx = ax.x(p.x), cy = ax.y(p.y);
    if (finite(p.x_low) && finite(p.x_high))
      out += line(ax.x(p.x_low), cy, ax.x(p.x_high), cy, p.colour, "stroke-width=\"2\"");
    if (finite(p.y_low) && finite(p.y_high))
      out += line(cx, ax.y(p.y_low), cx, ax.y(p.y_high), p.colour, "stroke-width=\"2\"");
    out += fmt::format("<circle cx=\"{}\" cy=\"{}\" r=\"5\" fill=\"{}\" stroke=\"#fff\"/>\n",
                       px(cx), px(cy), p.colour);
    // The label goes above-right of its point if it fits there, else above-left, else a line
    // further down or up, on either side, until it overlaps no point and no label and stays in
    // the plot; a label away from its point gets a thin leader line.
    const double w = text_width(p.label, 12) + 4;
    const auto candidate = [&](int k, bool right) {
      const double dy = (k % 2 ? 1 : -1) * 15.0 * ((k + 1) / 2);
      const double x0 = right ? cx + 9 : cx - 9 - w;
      return Box{x0, cy - 19 + dy, x0 + w, cy - 5 + dy};
    };
    const auto fits = [&](const Box& b) {
      return b.x0 >= plot.x0 && b.x1 <= plot.x1 && b.y0 >= plot.y0 - 12 && b.y1 <= plot.y1 &&
             std::none_of(taken.begin(), taken.end(), [&](const Box& t) { return b.hits(t); });
    };
    Box box = candidate(0, true);
    bool right = true, found = false;
    for (int k = 0; k < 24 && !found; ++k)
      for (bool side : {true, false})
        if (!found && fits(candidate(k, side)))
          box = candidate(k, side), right = side, found = true;
    taken.push_back(box);
    if (std::fabs((box.y0 + box.y1) / 2 - (cy - 12)) > 1)
      labels += line(cx, cy, right ? box.x0 : box.x1, (box.y0 + box.y1) / 2, "#999");
    labels += text(right ? box.x0 + 2 : box.x1 - 2, box.y1 - 2, p.label, right ? "start" : "end",
                   fmt::format("font-weight=\"600\" fill=\"{}\"", kInk));
  }
  out += labels;
  return out + "</svg>";
}

std::string cloud(const Cloud& c) {
  const double left = 66, right = 16, top = 30, bottom = 46;
  Range xr, yr;
  const size_t n = std::min(c.x.size(), c.y.size());
  double max_w = 0;
  for (size_t i = 0; i < n; ++i) {
    xr.add(c.x[i]);
    yr.add(c.y[i]);
    if (i < c.weight.size()) max_w = std::max(max_w, c.weight[i]);
  }
  xr.finish();
  yr.finish();
  Axes ax;
  ax.x_ticks = widen(xr, 4);
  ax.y_ticks = widen(yr, 4);
  ax.x = {xr.lo, xr.hi, left, c.size.width - right};
  ax.y = {yr.lo, yr.hi, c.size.height - bottom, top};
  ax.x_label = c.x_label;
  ax.y_label = c.y_label;
  ax.x_format = c.x_format;
  ax.y_format = c.y_format;
  std::string out = open_svg(c.size.width, c.size.height, c.title);
  out += title_text(left, c.title);
  out += ax.draw();
  out += fmt::format("<g fill=\"{}\" fill-opacity=\"0.35\">\n", c.colour);
  for (size_t i = 0; i < n; ++i) {
    if (!finite(c.x[i]) || !finite(c.y[i])) continue;
    const double w = i < c.weight.size() && max_w > 0 ? c.weight[i] / max_w : 1;
    if (w <= 0) continue;
    out += fmt::format("<circle cx=\"{}\" cy=\"{}\" r=\"{}\"/>\n", px(ax.x(c.x[i])),
                       px(ax.y(c.y[i])), px(1 + 2 * std::sqrt(w)));
  }
  return out + "</g>\n</svg>";
}

std::string bars(const Bars& b) {
  const double left = 66, right = 16, top = 30, bottom = 46;
  Range xr, yr;
  yr.add(0);
  for (double v : b.x) xr.add(v);
  for (double v : b.y) yr.add(v);
  xr.finish();
  yr.finish();
  Axes ax;
  ax.y_ticks = widen(yr, 4);
  ax.x = {xr.lo - 0.5, xr.hi + 0.5, left, b.size.width - right};
  ax.y = {yr.lo, yr.hi, b.size.height - bottom, top};
  ax.x_ticks = inside(xr.lo, xr.hi, 8);
  ax.x_label = b.x_label;
  ax.y_label = b.y_label;
  std::string out = open_svg(b.size.width, b.size.height, b.title);
  out += title_text(left, b.title);
  out += ax.draw();
  const double bw = (ax.x.to - ax.x.from) / (xr.hi - xr.lo + 1);
  for (size_t i = 0; i < std::min(b.x.size(), b.y.size()); ++i) {
    if (!finite(b.y[i]) || b.y[i] == 0) continue;
    const double x0 = ax.x(b.x[i]) - bw * 0.42, y1 = ax.y(b.y[i]);
    out += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\"/>\n", px(x0),
                       px(y1), px(std::max(bw * 0.84, 0.6)), px(ax.y.from - y1), b.colour);
  }
  return out + "</svg>";
}

std::string hbars(const HBars& b) {
  const double row_h = 24, top = 34, bottom = 46, right = 110;
  double label_w = 0;
  for (const std::string& l : b.labels) label_w = std::max(label_w, text_width(l, 12));
  const double left = label_w + 24;
  const double width = std::max(b.size.width, left + 260 + right);  // as forest()
  const double height = b.size.height > 0
                            ? b.size.height
                            : top + row_h * static_cast<double>(b.labels.size()) + bottom;
  Range xr;
  xr.add(0);
  for (double v : b.values) xr.add(v);
  xr.finish();
  std::vector<double> ticks = widen(xr, 5);
  const Scale x{xr.lo, xr.hi, left, width - right};
  const double y0 = height - bottom;
  std::string out = open_svg(width, height, b.title);
  out += title_text(8, b.title);
  const double step = ticks.size() > 1 ? ticks[1] - ticks[0] : 1;
  for (double t : ticks) {
    out += line(x(t), top - 6, x(t), y0, kGrid);
    out += text(x(t), y0 + 16, b.x_format(t, step), "middle", "font-size=\"11\"");
  }
  out += line(x.from, y0, x.to, y0, kAxis);
  out += line(x(0), top - 6, x(0), y0, kAxis);
  out += text((x.from + x.to) / 2, y0 + 34, b.x_label, "middle");
  for (size_t i = 0; i < b.labels.size() && i < b.values.size(); ++i) {
    const double cy = top + row_h * (static_cast<double>(i) + 0.5);
    out += text(left - 10, cy + 4, b.labels[i], "end");
    const double v = b.values[i];
    if (!finite(v)) {
      out += text(x(0) + 6, cy + 4, "n/a", "start", "font-size=\"11\"");
      continue;
    }
    const double x0 = std::min(x(0), x(v)), x1 = std::max(x(0), x(v));
    out +=
        fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\"/>\n", px(x0),
                    px(cy - row_h * 0.32), px(std::max(x1 - x0, 0.6)), px(row_h * 0.64), b.colour);
    out += text(width - right + 10, cy + 4, b.x_format(v, step / 100), "start", "font-size=\"11\"");
  }
  return out + "</svg>";
}

}  // namespace fourp::svg
