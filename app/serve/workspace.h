// The web app's workspace: a plain folder of scenario files and results files that `fourp run`,
// `report` and `validate` read as they are. Every name a request gives is resolved here, and
// nothing outside the folder is ever read or written (no "..", no absolute path, no symbolic
// link that leads out).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace fourp::serve {

class Workspace {
 public:
  // Creates the folder when missing. On first start (no `.fourp-workspace` marker) copies the
  // shipped scenarios in, never replacing a file that is there.
  explicit Workspace(const std::filesystem::path& root);

  const std::filesystem::path& root() const { return root_; }

  // The file a workspace-relative name ("scenarios/rural-district.yaml") stands for; none when
  // the name is empty, absolute, has a "." or ".." part, a backslash or a NUL, or leads outside
  // the workspace through a symbolic link.
  std::optional<std::filesystem::path> resolve(std::string_view name) const;
  // Whether an absolute path lies inside the workspace once symbolic links are followed.
  bool contains(const std::filesystem::path& path) const;
  // The workspace-relative name of a path inside it ("results/x.h5").
  std::string name_of(const std::filesystem::path& path) const;

  // What the home page lists: {"scenarios": [...], "results": [...]}; each scenario with its
  // kind (scenario, sweep, calibration, optimisation), name, description, arms and replicates
  // when it is a scenario; each results file with its kind, date and size.
  nlohmann::json listing() const;

  // Where the app's runs write: `results/` (created when missing).
  std::filesystem::path results_dir() const;

 private:
  std::filesystem::path root_;  // canonical
};

// A results file's kind by its content: "run", "sweep", "calibration", "optimisation", or ""
// when it is none of them.
std::string results_kind(const std::filesystem::path& file);

}  // namespace fourp::serve
