#include "sim/observation.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include <fmt/format.h>

#include "sim/find_name.h"

namespace fourp {

namespace {

size_t metric_index(const ObservedLayout& layout, const std::string& metric) {
  const auto m = find_name(layout.series_names, metric);
  if (!m) throw std::invalid_argument(fmt::format("observation: no series '{}'", metric));
  return *m;
}

// The series value at a row, for everyone or a group of communities: `weighted` averages the
// communities by size (means), otherwise they are summed (counts).
double at_row(const ObservedLayout& layout, const RunResult& run, size_t m, size_t row,
              const std::vector<uint32_t>& communities, bool weighted) {
  if (communities.empty()) return run.series.at(m * layout.rows + row);
  const size_t c_count = layout.community_sizes.size();
  if (run.communities.size() < (m + 1) * layout.rows * c_count)
    throw std::invalid_argument("observation: a group of communities needs community series");
  double sum = 0, people = 0;
  for (uint32_t c : communities) {
    const double v = run.communities[(m * layout.rows + row) * c_count + c];
    const double w = weighted ? layout.community_sizes.at(c) : 1.0;
    sum += w * v;
    people += w;
  }
  return weighted ? sum / people : sum;
}

}  // namespace

double model_value(const CalibrationTarget& t, const ObservedLayout& layout, const RunResult& run) {
  const size_t m = metric_index(layout, t.metric);
  if (t.kind == CalibrationTarget::Kind::survey)
    return at_row(layout, run, m, static_cast<size_t>(t.step), t.communities, true);
  double sum = 0;
  for (int64_t row = t.first + 1; row <= t.last; ++row)
    sum += at_row(layout, run, m, static_cast<size_t>(row), t.communities, false);
  return sum;
}

double target_log_likelihood(const CalibrationTarget& t, double model, double detection) {
  if (t.kind == CalibrationTarget::Kind::survey) {
    const double p = std::clamp(model, 1e-12, 1 - 1e-12);
    const double n = static_cast<double>(t.respondents), y = static_cast<double>(t.yes);
    return std::lgamma(n + 1) - std::lgamma(y + 1) - std::lgamma(n - y + 1) + y * std::log(p) +
           (n - y) * std::log1p(-p);
  }
  const double mu = std::max(1e-12, t.detection.empty() ? model : detection * model);
  const double y = t.count;
  if (!t.dispersion) return y * std::log(mu) - mu - std::lgamma(y + 1);
  const double k = *t.dispersion;
  return std::lgamma(y + k) - std::lgamma(k) - std::lgamma(y + 1) + k * std::log(k / (k + mu)) +
         y * std::log(mu / (k + mu));
}

double log_likelihood(const CalibrationPlan& plan, const ObservedLayout& layout,
                      const RunResult& run, std::span<const double> theta) {
  return log_likelihood(
      plan, layout, [&](const CalibrationTarget&) -> const RunResult& { return run; }, theta);
}

double log_likelihood(const CalibrationPlan& plan, const ObservedLayout& layout,
                      const std::function<const RunResult&(const CalibrationTarget&)>& run_of,
                      std::span<const double> theta) {
  if (theta.size() != plan.parameters.size())
    throw std::invalid_argument("log_likelihood: one value per calibrated parameter");
  double sum = 0;
  for (const CalibrationTarget& t : plan.targets) {
    double detection = 1;
    if (!t.detection.empty()) {
      const std::string path = "observation." + t.detection;
      const auto it = std::find_if(plan.parameters.begin(), plan.parameters.end(),
                                   [&](const UncertainParameter& u) { return u.path == path; });
      if (it == plan.parameters.end())
        throw std::invalid_argument(fmt::format("log_likelihood: {} is not calibrated", path));
      detection = theta[static_cast<size_t>(it - plan.parameters.begin())];
    }
    sum += target_log_likelihood(t, model_value(t, layout, run_of(t)), detection);
  }
  return sum;
}

double log_mean_exp(std::span<const double> values) {
  if (values.empty()) return -std::numeric_limits<double>::infinity();
  const double top = *std::max_element(values.begin(), values.end());
  if (!std::isfinite(top)) return top;
  double sum = 0;
  for (double v : values) sum += std::exp(v - top);
  return top + std::log(sum / static_cast<double>(values.size()));
}

}  // namespace fourp
