#include "sim/params.h"

#include <fmt/format.h>
#include <cmath>
#include <stdexcept>

namespace fourp {

ParamSchema::ParamSchema(std::initializer_list<ParamSpec> specs) : specs_(specs) {}

void ParamSchema::add(ParamSpec spec) {
  specs_.push_back(std::move(spec));
}

void ParamSchema::append(const ParamSchema& other) {
  specs_.insert(specs_.end(), other.specs_.begin(), other.specs_.end());
}

std::optional<size_t> ParamSchema::find(std::string_view name) const {
  for (size_t i = 0; i < specs_.size(); ++i)
    if (specs_[i].name == name) return i;
  return std::nullopt;
}

std::vector<std::string> ParamSchema::names() const {
  std::vector<std::string> out;
  for (const auto& s : specs_) out.push_back(s.name);
  return out;
}

ParamValues::ParamValues(const ParamSchema& schema)
    : schema_(&schema), set_(schema.size(), false), where_(schema.size()) {
  for (const auto& s : schema.specs()) values_.push_back(s.default_value);
}

double ParamValues::get(std::string_view name) const {
  auto i = schema_ ? schema_->find(name) : std::nullopt;
  if (!i) throw std::logic_error(fmt::format("no parameter named '{}'", name));
  return values_[*i];
}

void ParamValues::set(size_t i, double value, SourceLoc where) {
  values_[i] = value;
  set_[i] = true;
  where_[i] = std::move(where);
}

void ParamValues::set(std::string_view name, double value, SourceLoc where) {
  auto i = schema_ ? schema_->find(name) : std::nullopt;
  if (!i) throw std::logic_error(fmt::format("no parameter named '{}'", name));
  set(*i, value, std::move(where));
}

std::string describe_range(const ParamSpec& spec) {
  const char* what = spec.integer ? "a whole number" : "a number";
  bool lo = std::isfinite(spec.min), hi = std::isfinite(spec.max);
  if (lo && hi) return fmt::format("{} in [{}, {}]", what, spec.min, spec.max);
  if (lo) return fmt::format("{} >= {}", what, spec.min);
  if (hi) return fmt::format("{} <= {}", what, spec.max);
  return what;
}

bool in_range(const ParamSpec& spec, double value) {
  if (!std::isfinite(value)) return false;
  if (spec.integer && value != std::floor(value)) return false;
  return value >= spec.min && value <= spec.max;
}

}  // namespace fourp
