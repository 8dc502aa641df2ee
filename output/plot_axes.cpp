#include "output/plot_axes.h"

#include <cmath>

#include <fmt/format.h>

#include "output/svg_chart.h"

namespace fourp::report {

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

}  // namespace fourp::report
