// Numeric parameters declared by a model and read from a scenario section.
//
// A model declares each parameter once (name, default, allowed range, unit, meaning); the
// scenario parser validates a YAML section against that schema, and the model reads typed values
// once when a run starts. Nested keys are flattened with dots ("message.blame",
// "cost.per_contact"), which are also the paths used by `--set`, arm `set` and sweeps.
//
//   ParamSchema s;
//   s.add({"kappa_a", 0.05, 0, 1, "1/step", "rate of learning awareness from neighbours"});
//   ParamValues v(s);            // every default
//   v.set("kappa_a", 0.1);
//   double k = v.get("kappa_a");
#pragma once

#include <cstddef>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/diagnostics.h"

namespace fourp {

struct ParamSpec {
  std::string name;  // dotted for nested keys: "message.blame"
  double default_value = 0;
  double min = -std::numeric_limits<double>::infinity();
  double max = std::numeric_limits<double>::infinity();
  std::string unit;     // "1/step", "probability", "USD", "" for dimensionless shares
  std::string meaning;  // one line, for --help, `validate` and docs/model.md
  bool integer = false;
  std::string source = "";  // evidence or reason for the default
  // May be left out: its default_value is then NaN, meaning "not given" (the model decides what
  // that means, e.g. "use the population's distribution"), and to_yaml omits it.
  bool optional = false;
};

class ParamSchema {
 public:
  ParamSchema() = default;
  ParamSchema(std::initializer_list<ParamSpec> specs);
  void add(ParamSpec spec);
  void append(const ParamSchema& other);  // other's parameters after this one's
  const std::vector<ParamSpec>& specs() const { return specs_; }
  std::optional<size_t> find(std::string_view name) const;
  std::vector<std::string> names() const;
  size_t size() const { return specs_.size(); }

 private:
  std::vector<ParamSpec> specs_;
};

// Values aligned with a schema's parameters; each remembers where it was set (for errors).
class ParamValues {
 public:
  ParamValues() = default;
  explicit ParamValues(const ParamSchema& schema);
  const ParamSchema& schema() const { return *schema_; }
  double get(std::string_view name) const;  // throws std::logic_error on an unknown name
  double operator[](size_t i) const { return values_[i]; }
  void set(size_t i, double value, SourceLoc where = {});
  void set(std::string_view name, double value, SourceLoc where = {});
  bool is_set(size_t i) const { return set_[i]; }  // given in the file rather than defaulted
  const SourceLoc& where(size_t i) const { return where_[i]; }
  size_t size() const { return values_.size(); }

 private:
  const ParamSchema* schema_ = nullptr;  // schemas live in the static model catalog
  std::vector<double> values_;
  std::vector<bool> set_;
  std::vector<SourceLoc> where_;
};

// "a number in [0, 1]", "a whole number ≥ 1": how an allowed range reads in an error message.
std::string describe_range(const ParamSpec& spec);
bool in_range(const ParamSpec& spec, double value);

}  // namespace fourp
