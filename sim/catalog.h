// The catalog of model kinds the engine can run, filled by models/ and handed to the scenario
// parser by the program. The engine (sim/) and the writers (output/) know models only through
// this: their parameter schemas (validated at parse time), their declarations (declarations.h:
// agent roles and traits, series and outcomes, random-number purposes), how each intervention
// kind reads in words, and a factory that makes a runnable Model.
//
//   Catalog catalog;
//   fourp::models::register_all(catalog);       // in app/
//   Scenario s = parse_scenario_file(path, catalog, diag);
#pragma once

#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sim/declarations.h"
#include "sim/diagnostics.h"
#include "sim/params.h"

namespace fourp {

class Model;
struct ArmConfig;
struct InterventionSpec;
struct Scenario;

// What a report needs to put an intervention's parameters into words.
struct WordsContext {
  std::string step_unit;  // "week"; empty: "step"
  std::string currency;   // "USD"; may be empty
};

// An intervention in plain words: "<noun> “<name>” <schedule>, <where><details>".
struct InterventionWords {
  std::string noun;     // "awareness campaign"
  std::string details;  // its parameters, with leading punctuation: "; reach 30% a week"
  // The kind's parameters `details` covers; the report lists the others that were given.
  std::vector<std::string> covered;
};

struct InterventionKind {
  std::string name;    // YAML `kind`
  std::string about;   // one line for `--help` and docs
  ParamSchema params;  // its own keys besides kind/start/duration/target; nested keys dotted
  // May also take any parameter of the model's sections as a key of its own (MODEL.md).
  bool accepts_model_overrides = true;
  // Its parameters in words, for the report (null: the kind's name and its parameters listed).
  std::function<InterventionWords(const InterventionSpec&, const WordsContext&)> words;
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
  std::vector<RoleSpec> roles;                  // `population.roles` keys, drawn for every agent
  std::vector<TraitSpec> traits;                // `population.initial` keys, drawn for every agent
  OutputDeclarations outputs;                   // its series and outcomes, and how to read them
  PurposeRange purposes;                        // the Philox purposes its draws use (rng.h)
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
  std::optional<size_t> role_index(std::string_view name) const;
};

class Catalog {
 public:
  // Adds a kind; throws std::logic_error when its declarations contradict themselves (an
  // outcome named twice, a headline or cost that is no outcome, a purpose of the engine's).
  void add(ModelKind kind);
  const ModelKind* find(std::string_view name) const;
  std::vector<std::string> names() const;
  const std::deque<ModelKind>& kinds() const { return kinds_; }
  // The kind used when a scenario's `model:` has no `kind` key: the first added.
  const std::string& default_kind() const;

 private:
  std::deque<ModelKind> kinds_;  // deque: ParamValues keep pointers to these schemas
};

}  // namespace fourp
