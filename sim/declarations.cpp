#include "sim/declarations.h"

#include <algorithm>

namespace fourp {

namespace {
template <class Spec>
std::optional<size_t> index_of(const std::vector<Spec>& specs, std::string_view name) {
  auto it = std::find_if(specs.begin(), specs.end(), [&](const Spec& s) { return s.name == name; });
  if (it == specs.end()) return std::nullopt;
  return static_cast<size_t>(it - specs.begin());
}
}  // namespace

std::vector<std::string> OutputDeclarations::series_names() const {
  std::vector<std::string> out;
  for (const SeriesSpec& s : series) out.push_back(s.name);
  return out;
}

std::vector<std::string> OutputDeclarations::outcome_names() const {
  std::vector<std::string> out;
  for (const OutcomeSpec& o : outcomes) out.push_back(o.name);
  return out;
}

const SeriesSpec* OutputDeclarations::find_series(std::string_view name) const {
  const auto i = index_of(series, name);
  return i ? &series[*i] : nullptr;
}

const OutcomeSpec* OutputDeclarations::find_outcome(std::string_view name) const {
  const auto i = index_of(outcomes, name);
  return i ? &outcomes[*i] : nullptr;
}

std::optional<size_t> OutputDeclarations::outcome_index(std::string_view name) const {
  return index_of(outcomes, name);
}

std::optional<size_t> OutputDeclarations::series_index(std::string_view name) const {
  return index_of(series, name);
}

int OutputDeclarations::improvement_sign() const {
  const OutcomeSpec* h = headline_outcome();
  if (h == nullptr || improvement.name.empty()) return 0;
  return h->better == Better::fewer ? 1 : h->better == Better::more ? -1 : 0;
}

}  // namespace fourp
