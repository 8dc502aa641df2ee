// The catalog of model kinds the engine can run, filled by models/ and handed to the scenario
// parser by the program. The engine (sim/) knows models only through this: their parameter
// schemas (validated at parse time) and a factory that makes a runnable Model.
//
//   Catalog catalog;
//   fourp::models::register_all(catalog);       // in app/
//   Scenario s = parse_scenario_file(path, catalog, diag);
#pragma once

#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "sim/diagnostics.h"
#include "sim/params.h"

namespace fourp {

class Model;
struct ArmConfig;
struct Scenario;

struct InterventionKind {
  std::string name;    // YAML `kind`, e.g. "outsider_campaign"
  std::string about;   // one line for `--help` and docs
  ParamSchema params;  // its own keys besides kind/start/duration/target; nested keys dotted
  // May also take any parameter of the model's sections as a key of its own (MODEL.md).
  bool accepts_model_overrides = true;
};

// A named section of numeric parameters in the scenario file (`model:`, `trafficking:`).
struct ParamSection {
  std::string name;
  ParamSchema schema;
};

struct ModelKind {
  std::string name;                             // `model.kind`
  std::string about;                            // one line
  std::vector<ParamSection> sections;           // sections[0] is always `model`
  std::vector<InterventionKind> interventions;  // empty: the model takes no interventions
  // true: a scenario of this kind has at most one arm (a model that compares nothing).
  bool single_arm = false;
  // Optional cross-checks of the kind's parameters beyond each one's range (one of two keys,
  // values against the population size), run by the parser after `--set`; errors go to diag at
  // the values' places (ParamValues::where).
  std::function<void(const Scenario&, Diagnostics&)> check;
  // Builds the per-arm runnable model from a validated arm configuration.
  std::function<std::unique_ptr<Model>(const Scenario&, const ArmConfig&)> make;
  // Every section's parameters in one schema (filled by Catalog::add): what an intervention may
  // override as a key of its own.
  ParamSchema all_params;

  const ParamSection* section(std::string_view name) const;
  const InterventionKind* intervention(std::string_view name) const;
};

class Catalog {
 public:
  void add(ModelKind kind);
  const ModelKind* find(std::string_view name) const;
  std::vector<std::string> names() const;
  const std::deque<ModelKind>& kinds() const { return kinds_; }
  // The kind used when a scenario's `model:` has no `kind` key.
  std::string default_kind = "prevention";

 private:
  std::deque<ModelKind> kinds_;  // deque: ParamValues keep pointers to these schemas
};

}  // namespace fourp
