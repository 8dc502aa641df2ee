#include "app/serve/workspace.h"

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <fstream>

#include "app/scenario_input.h"
#include "app/serve/assets.h"
#include "output/calibration_results.h"
#include "output/optimisation_results.h"
#include "output/sweep_reader.h"

namespace fourp::serve {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr const char* kMarker = ".fourp-workspace";

std::string modified(const fs::path& p) {
  std::error_code ec;
  const auto t = fs::last_write_time(p, ec);
  if (ec) return "";
  const auto sys = std::chrono::time_point_cast<std::chrono::system_clock::duration>(
      std::chrono::file_clock::to_sys(t));
  return fmt::format("{:%Y-%m-%d %H:%M:%S}",
                     fmt::localtime(std::chrono::system_clock::to_time_t(sys)));
}

json scenario_entry(const fs::path& file, const std::string& name) {
  json e{{"path", name}, {"modified", modified(file)}};
  try {
    const YAML::Node doc = YAML::LoadFile(file.string());
    e["kind"] = app::input_kind_name(app::input_kind(doc));
    if (!doc.IsMap()) return e;
    if (doc["name"] && doc["name"].IsScalar()) e["name"] = doc["name"].Scalar();
    if (doc["description"] && doc["description"].IsScalar())
      e["description"] = doc["description"].Scalar();
    if (doc["replicates"] && doc["replicates"].IsScalar())
      e["replicates"] = doc["replicates"].Scalar();
    if (doc["arms"] && doc["arms"].IsMap()) {
      json arms = json::array();
      for (const auto& a : doc["arms"]) arms.push_back(a.first.Scalar());
      e["arms"] = arms;
    }
  } catch (const YAML::Exception& ex) {
    e["kind"] = "scenario";
    e["problem"] = ex.what();
  }
  return e;
}

}  // namespace

std::string results_kind(const fs::path& file) {
  try {
    if (is_sweep_file(file)) return "sweep";
    if (is_calibration_file(file)) return "calibration";
    if (is_optimisation_file(file)) return "optimisation";
    return "run";
  } catch (const std::exception&) {
    return "";
  }
}

Workspace::Workspace(const fs::path& root) {
  fs::create_directories(root);
  root_ = fs::canonical(root);
  if (fs::exists(root_ / kMarker)) return;
  for (const auto& [name, text] : shipped_scenarios()) {
    const fs::path target = root_ / "scenarios" / name;
    if (fs::exists(target)) continue;
    fs::create_directories(target.parent_path());
    std::ofstream(target, std::ios::binary) << text;
  }
  std::ofstream(root_ / kMarker) << "fourp serve workspace: the shipped scenarios were copied in\n";
}

std::optional<fs::path> Workspace::resolve(std::string_view name) const {
  if (name.empty() || name.front() == '/' || name.find('\\') != std::string_view::npos ||
      name.find('\0') != std::string_view::npos)
    return std::nullopt;
  const fs::path rel(name);
  for (const auto& part : rel)
    if (part == ".." || part == "." || part.empty()) return std::nullopt;
  std::error_code ec;
  const fs::path full = fs::weakly_canonical(root_ / rel, ec);
  if (ec || !contains(full)) return std::nullopt;  // a symbolic link led outside
  return full;
}

bool Workspace::contains(const fs::path& path) const {
  std::error_code ec;
  const fs::path full = fs::weakly_canonical(path, ec);
  if (ec) return false;
  const auto [r, f] = std::mismatch(root_.begin(), root_.end(), full.begin(), full.end());
  return r == root_.end();
}

std::string Workspace::name_of(const fs::path& path) const {
  return fs::relative(path, root_).generic_string();
}

fs::path Workspace::results_dir() const {
  fs::create_directories(root_ / "results");
  return root_ / "results";
}

json Workspace::listing() const {
  json scenarios = json::array(), results = json::array();
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(root_, ec); !ec && it != fs::end(it);
       it.increment(ec)) {
    const fs::path& p = it->path();
    if (p.filename().string().front() == '.') {  // hidden files and temporary outputs
      if (it->is_directory()) it.disable_recursion_pending();
      continue;
    }
    if (it.depth() > 3 || !it->is_regular_file()) continue;
    if (!resolve(name_of(p))) continue;  // a link out of the workspace is not listed
    const std::string ext = p.extension().string();
    if (ext == ".yaml" || ext == ".yml") {
      scenarios.push_back(scenario_entry(p, name_of(p)));
    } else if (ext == ".h5") {
      results.push_back({{"path", name_of(p)},
                         {"kind", results_kind(p)},
                         {"modified", modified(p)},
                         {"bytes", fs::file_size(p, ec)}});
    }
  }
  auto by_path = [](const json& a, const json& b) { return a["path"] < b["path"]; };
  std::sort(scenarios.begin(), scenarios.end(), by_path);
  std::sort(results.begin(), results.end(),
            [](const json& a, const json& b) { return a["modified"] > b["modified"]; });
  return {{"scenarios", scenarios}, {"results", results}, {"root", root_.string()}};
}

}  // namespace fourp::serve
