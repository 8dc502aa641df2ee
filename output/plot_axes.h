// Pieces of the sweep report's hand-drawn SVG plots (scatter plots, index charts): a linear
// scale, padded data spans, axes with nice ticks, and the number format of its tables.
//
//   const Scale x{lo, hi, left_px, right_px};
//   svg += x_axis(x, bottom_px, top_px, "parameter value");
#pragma once

#include <string>
#include <utility>

#include "output/h5.h"

namespace fourp::report {

// The field of a table by name, or null.
const h5::Field* field(const h5::Table& t, const std::string& name);

// A number for tables: "–" for NaN, 3 decimals, or 3 significant digits when very large or small.
std::string num(double v);

// A linear scale from [d0, d1] to [r0, r1].
struct Scale {
  double d0, d1, r0, r1;
  double operator()(double v) const {
    return d1 == d0 ? (r0 + r1) / 2 : r0 + (v - d0) / (d1 - d0) * (r1 - r0);
  }
};

// [lo, hi] padded a little, never empty.
std::pair<double, double> span_of(double lo, double hi);

// An axis along the bottom (x) or the left (y), with grid lines to the far side and a label.
std::string x_axis(const Scale& x, double y_px, double top_px, const std::string& label);
std::string y_axis(const Scale& y, double x_px, double right_px, const std::string& label);

}  // namespace fourp::report
