// Charts as inline SVG for the HTML report: line charts with uncertainty bands, heat maps,
// forest plots, scatter plots with interval crosses, bar charts. Each function returns one
// self-contained <svg> element (its own fonts, axes, ticks, labels and legend) that a browser
// draws without scripts or network access and that prints as vectors. Written here rather than
// taken from a plotting library so that the report needs nothing at run time and stays small.
//
//   svg::LineChart c;
//   c.title = "Awareness by arm";
//   c.x_label = "time (weeks)";
//   c.y_label = "mean awareness (0–1)";
//   c.series.push_back({"baseline", svg::arm_colour(0), x, mean, low, high});
//   std::string html = svg::line_chart(c);
//
// Text passed in is plain text (escaped here). Coordinates are in CSS pixels; the viewBox lets
// the chart shrink with the page. NaN values are skipped (a line is broken there).
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace fourp::svg {

// The colour of the i-th arm: the Okabe–Ito palette (distinguishable with the common colour
// vision deficiencies), black first, yellow last (it is faint on white); it repeats after 8.
std::string arm_colour(size_t i);

// A sequential colour-blind-safe scale (viridis) for t in [0, 1]; NaN gives light grey.
std::string heat_colour(double t);

// Text escaped for HTML and SVG (&, <, >, ", ').
std::string escape(std::string_view text);

// Tick labels: the formatter gets the value and the tick spacing (to choose decimals).
using TickFormat = std::function<std::string(double value, double step)>;
// Plain numbers: thousands separators, as many decimals as the spacing needs, "−" for minus.
std::string plain_tick(double value, double step);
// Shares in [0, 1] shown as percentages ("25%").
std::string percent_tick(double value, double step);

// Evenly spaced "nice" tick values (1, 2 or 5 × 10^k apart) covering [lo, hi], about `count`.
std::vector<double> nice_ticks(double lo, double hi, int count = 5);

struct Size {
  double width = 560, height = 300;
};

// One line with an optional band around it (band empty: no band).
struct BandSeries {
  std::string name;
  std::string colour;
  std::vector<double> x, y, low, high;
  double width = 2;  // of the line, in pixels
};
struct LineChart {
  std::string title;  // read by screen readers (<title>) and shown above the plot
  std::string x_label, y_label;
  std::vector<BandSeries> series;
  TickFormat y_format = plain_tick;
  bool y_from_zero = true;             // include 0 in the y range
  std::optional<double> y_min, y_max;  // fixed range (e.g. 0 and 1 for shares)
  Size size;
};
std::string line_chart(const LineChart& chart);

// A grid of values, rows × cols (row-major), coloured on [v_min, v_max]; columns are time.
struct Heatmap {
  std::string title;
  std::string x_label, y_label, value_label;
  size_t rows = 0, cols = 0;
  std::vector<double> values;
  std::vector<std::string> row_labels;
  std::vector<bool> row_marked;    // marked rows get a ● before their label (e.g. "targeted")
  std::string mark_meaning;        // legend text for the mark; empty: no legend entry
  double x_first = 0, x_step = 1;  // x of column j is x_first + j·x_step
  double v_min = 0, v_max = 1;
  TickFormat value_format = plain_tick;
  Size size{560, 260};
};
std::string heatmap(const Heatmap& map);

// Point estimates with intervals, one row each, against a reference line (usually 0).
struct ForestRow {
  std::string label;
  std::string colour;
  double mean = 0, low = 0, high = 0;
};
struct Forest {
  std::string title;
  std::string x_label;
  std::vector<ForestRow> rows;
  double reference = 0;
  TickFormat x_format = plain_tick;
  Size size{560, 0};  // height 0: from the number of rows
};
std::string forest(const Forest& plot);

// Points with interval crosses in both directions, axes through zero drawn (quadrants).
struct ScatterPoint {
  std::string label;
  std::string colour;
  double x = 0, x_low = 0, x_high = 0;
  double y = 0, y_low = 0, y_high = 0;
};
struct Scatter {
  std::string title;
  std::string x_label, y_label;
  std::vector<ScatterPoint> points;
  // A line through points (x, y) in order, under the points (e.g. the efficiency frontier),
  // named in a legend line under the title; empty: none.
  std::vector<std::pair<double, double>> path;
  std::string path_label;
  TickFormat x_format = plain_tick, y_format = plain_tick;
  Size size{560, 360};
};
std::string scatter(const Scatter& plot);

// A cloud of many unlabelled points (e.g. a posterior's particles), each a small translucent
// dot whose area grows with its weight (all equal when `weight` is empty).
struct Cloud {
  std::string title;
  std::string x_label, y_label;
  std::vector<double> x, y, weight;
  std::string colour = "#0072B2";
  TickFormat x_format = plain_tick, y_format = plain_tick;
  Size size{300, 260};
};
std::string cloud(const Cloud& plot);

// Vertical bars at integer x (e.g. a degree distribution).
struct Bars {
  std::string title;
  std::string x_label, y_label;
  std::vector<double> x, y;
  std::string colour = "#0072B2";
  Size size{560, 260};
};
std::string bars(const Bars& chart);

// Horizontal bars from 0, one row each with its label on the left and its value on the right
// (e.g. the value of information on each parameter), in the order given.
struct HBars {
  std::string title;
  std::string x_label;
  std::vector<std::string> labels;
  std::vector<double> values;
  std::string colour = "#0072B2";
  TickFormat x_format = plain_tick;
  Size size{560, 0};  // height 0: from the number of rows
};
std::string hbars(const HBars& chart);

}  // namespace fourp::svg
