#include "app/serve/server.h"

#include <fmt/format.h>
#include <httplib.h>
#include <zip.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "app/commands.h"
#include "app/serve/assets.h"
#include "app/serve/guard.h"
#include "app/serve/scenario_form.h"
#include "app/serve/workspace.h"
#include "app/serve/yaml_edit.h"
#include "output/csv_export.h"
#include "output/results_file.h"
#include "sim/diagnostics.h"
#include "sim/input_files.h"
#include "sim/results.h"
#include "sim/uncertainty.h"

namespace fourp::serve {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

void send_json(httplib::Response& res, const json& body, int status = 200) {
  res.status = status;
  res.set_content(body.dump(), "application/json");
}

void send_error(httplib::Response& res, int status, const std::string& message) {
  send_json(res, {{"error", message}}, status);
}

std::string content_type(const fs::path& p) {
  const std::string ext = p.extension().string();
  if (ext == ".html") return "text/html; charset=utf-8";
  if (ext == ".js") return "text/javascript; charset=utf-8";
  if (ext == ".css") return "text/css; charset=utf-8";
  if (ext == ".yaml" || ext == ".yml" || ext == ".csv" || ext == ".txt")
    return "text/plain; charset=utf-8";
  if (ext == ".json") return "application/json";
  if (ext == ".png") return "image/png";
  return "application/octet-stream";
}

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

bool is_yaml(const fs::path& p) {
  return p.extension() == ".yaml" || p.extension() == ".yml";
}

// A comparison's numbers by quantity, with the words the model declares for them.
json comparison_rows(const Results& a, const Results& b) {
  json rows = json::array();
  auto label = [&](const std::string& q) {
    if (q == a.outputs.improvement.name) return a.outputs.improvement.label;
    if (q == a.outputs.improvement.cost_name) return a.outputs.improvement.cost_label;
    if (const OutcomeSpec* o = a.outputs.find_outcome(q)) return o->label;
    return q;
  };
  for (const Comparison& ca : a.comparisons)
    for (const Comparison& cb : b.comparisons) {
      if (ca.arm != cb.arm) continue;
      const size_t first = rows.size();
      for (const Difference& da : ca.differences)
        for (const Difference& db : cb.differences)
          if (da.quantity == db.quantity)
            rows.push_back({{"arm", ca.arm},
                            {"quantity", da.quantity},
                            {"label", label(da.quantity)},
                            {"headline", da.quantity == a.outputs.improvement.name},
                            {"a", {da.mean, da.low, da.high}},
                            {"b", {db.mean, db.low, db.high}},
                            {"change", db.mean - da.mean}});
      // The headline (cases averted) and its cost first: what the comparison is for.
      std::stable_partition(rows.begin() + static_cast<std::ptrdiff_t>(first), rows.end(),
                            [&](const json& row) {
                              return row["quantity"] == a.outputs.improvement.name ||
                                     row["quantity"] == a.outputs.improvement.cost_name;
                            });
    }
  return rows;
}

}  // namespace

struct Server::Impl {
  ServeOptions options;
  Workspace workspace;
  std::mutex write_lock;  // one atomic write at a time (output/results_file.h)
  RunQueue queue;
  std::unique_ptr<Guard> guard;
  httplib::Server http;
  int port = 0;
  JointSampleReader previous_reader;  // restored when the server goes

  explicit Impl(ServeOptions o)
      : options(std::move(o)),
        workspace(options.workspace),
        queue(workspace, options.limits, write_lock) {}

  // The file a request names in `param`; a 404 response when it is none of the workspace's.
  std::optional<fs::path> file_param(const httplib::Request& req, httplib::Response& res,
                                     const char* param, bool must_exist = true) {
    const std::string name = req.get_param_value(param);
    std::optional<fs::path> p = workspace.resolve(name);
    if (!p || (must_exist && !fs::is_regular_file(*p))) {
      send_error(res, 404, fmt::format("{}: not a file of the workspace", name));
      return std::nullopt;
    }
    return p;
  }

  std::optional<json> body(const httplib::Request& req, httplib::Response& res) {
    try {
      json j = json::parse(req.body);
      if (j.is_object()) return j;
    } catch (const json::exception&) {
    }
    send_error(res, 400, "the request body is not a JSON object");
    return std::nullopt;
  }

  // The scenario a request edits: its workspace file (for relative paths and messages).
  std::optional<fs::path> scenario_of(const json& j, httplib::Response& res) {
    const std::string name = j.value("path", "");
    std::optional<fs::path> p = workspace.resolve(name);
    if (!p || !is_yaml(*p)) {
      send_error(res, 404, fmt::format("{}: not a scenario name of the workspace", name));
      return std::nullopt;
    }
    return p;
  }

  json check(const std::string& text, const fs::path& file) {
    json out = check_scenario(text, file, workspace.name_of(file),
                              [this](const fs::path& f) { return workspace.contains(f); });
    out["text"] = text;
    return out;
  }

  void routes();
  bool allowed(const httplib::Request& req, httplib::Response& res);
};

bool Server::Impl::allowed(const httplib::Request& req, httplib::Response& res) {
  if (!guard->host_allowed(req.get_header_value("Host"))) {
    send_error(res, 403, "this server answers only to its own address (Host)");
    return false;
  }
  const bool changes = req.method != "GET" && req.method != "HEAD";
  if (changes && !guard->origin_allowed(req.get_header_value("Origin"))) {
    send_error(res, 403, "a request from another site's page (Origin) is refused");
    return false;
  }
  const bool page = req.method == "GET" && (req.path == "/" || req.path == "/index.html");
  if (page && guard->token_in_query(req.get_param_value("token"))) {
    res.set_header("Set-Cookie", guard->set_cookie());
    return true;
  }
  if (guard->token_in_cookie(req.get_header_value("Cookie"))) return true;
  if (page) {
    res.status = 401;
    res.set_content(
        "<!doctype html><meta charset=utf-8><title>fourp</title><p>Open the address that "
        "<code>fourp serve</code> printed: it carries the access token.</p>",
        "text/html; charset=utf-8");
  } else {
    send_error(res, 401, "no access token: open the address that fourp serve printed");
  }
  return false;
}

void Server::Impl::routes() {
  http.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    res.set_header("Cache-Control", "no-store");
    res.set_header("X-Content-Type-Options", "nosniff");
    res.set_header("Referrer-Policy", "no-referrer");
    return allowed(req, res) ? httplib::Server::HandlerResponse::Unhandled
                             : httplib::Server::HandlerResponse::Handled;
  });
  http.set_error_handler([](const httplib::Request&, httplib::Response& res) {
    if (res.body.empty())
      send_error(res, res.status,
                 res.status == 413 ? "the request is larger than this server accepts"
                                   : fmt::format("HTTP status {}", res.status));
  });
  http.set_exception_handler(
      [](const httplib::Request&, httplib::Response& res, std::exception_ptr ep) {
        try {
          std::rethrow_exception(ep);
        } catch (const std::exception& e) {
          send_error(res, 500, e.what());
        }
      });

  for (const Asset& a : web_assets()) {
    // fmt rather than "/" + name: GCC 12 warns of a false overlap (-Wrestrict) in the latter.
    const std::string route = a.name == "index.html" ? "/" : fmt::format("/{}", a.name);
    const std::string type = content_type(fs::path(a.name));
    auto serve = [a, type](const httplib::Request&, httplib::Response& res) {
      res.set_content(std::string(a.text), type.c_str());
    };
    http.Get(route, serve);
    if (a.name == "index.html") http.Get("/index.html", serve);
  }

  http.Get("/api/workspace", [this](const httplib::Request&, httplib::Response& res) {
    json w = workspace.listing();
    w["runs"] = queue.all();
    send_json(res, w);
  });
  http.Get("/api/catalog", [](const httplib::Request&, httplib::Response& res) {
    send_json(res, catalog_summary());
  });
  http.Get("/api/file", [this](const httplib::Request& req, httplib::Response& res) {
    const auto p = file_param(req, res, "path");
    if (!p) return;
    res.set_content(read_file(*p), content_type(*p).c_str());
    if (req.has_param("download"))
      res.set_header("Content-Disposition",
                     fmt::format("attachment; filename=\"{}\"", p->filename().string()));
  });

  http.Post("/api/check", [this](const httplib::Request& req, httplib::Response& res) {
    const auto j = body(req, res);
    if (!j) return;
    const auto file = scenario_of(*j, res);
    if (!file) return;
    send_json(res, check(j->value("text", ""), *file));
  });

  http.Post("/api/edit", [this](const httplib::Request& req, httplib::Response& res) {
    const auto j = body(req, res);
    if (!j) return;
    const auto file = scenario_of(*j, res);
    if (!file) return;
    const std::string text = j->value("text", ""), op = j->value("op", "set");
    std::string edited;
    try {
      if (op == "set")
        edited = set_yaml_value(text, split_path(j->value("key", "")), j->value("value", ""));
      else if (op == "duplicate")
        edited = duplicate_intervention(text, j->value("intervention", ""), j->value("name", ""));
      else if (op == "remove")
        edited = remove_intervention(text, j->value("intervention", ""));
      else if (op == "add")
        edited = add_intervention(text, j->value("name", ""), j->value("kind", ""));
      else if (op == "arm")
        edited = set_arm_interventions(text, j->value("arm", ""),
                                       j->value("interventions", std::vector<std::string>{}));
      else if (op == "remove_arm")
        edited = remove_arm(text, j->value("arm", ""));
      else
        return send_error(res, 400, fmt::format("unknown edit '{}'", op));
    } catch (const std::exception& e) {
      return send_error(res, 400, e.what());
    }
    json out = check(edited, *file);
    if (op != "set" && !(op == "arm" && edited.find('#') != std::string::npos))
      out["notice"] = "the file was rewritten: comments are kept only when values are edited";
    send_json(res, out);
  });

  http.Post("/api/save", [this](const httplib::Request& req, httplib::Response& res) {
    const auto j = body(req, res);
    if (!j) return;
    const auto file = scenario_of(*j, res);
    if (!file) return;
    const std::string text = j->value("text", "");
    try {
      fs::create_directories(file->parent_path());
      std::lock_guard writing(write_lock);
      // A run that read this scenario has its own copy: saving over it is what the analyst
      // asked for (the list of inputs guards a command's outputs, and this is no command's).
      forget_input_file(*file);
      write_report_text(*file, j->value("overwrite", false), text);
    } catch (const InputError& e) {
      return send_error(res, 409, e.what());
    }
    send_json(res, check(text, *file));
  });

  http.Post("/api/runs", [this](const httplib::Request& req, httplib::Response& res) {
    const auto j = body(req, res);
    if (!j) return;
    RunRequest r;
    try {
      r.scenario = j->value("path", "");
      if (j->contains("replicates") && !(*j)["replicates"].is_null())
        r.replicates = (*j)["replicates"].get<uint32_t>();
      r.threads = j->value("threads", 0);
    } catch (const json::exception&) {
      return send_error(res, 400, "path is a name; replicates and threads are whole numbers");
    }
    try {
      send_json(res, {{"id", queue.submit(r)}});
    } catch (const InputError& e) {
      send_error(res, 400, e.what());
    }
  });
  http.Get("/api/runs", [this](const httplib::Request&, httplib::Response& res) {
    send_json(res, queue.all());
  });
  http.Get(R"(/api/runs/(\d+))", [this](const httplib::Request& req, httplib::Response& res) {
    const auto s = queue.status(std::stoi(req.matches[1]));
    if (!s) return send_error(res, 404, "no such run");
    send_json(res, *s);
  });
  http.Post(R"(/api/runs/(\d+)/cancel)",
            [this](const httplib::Request& req, httplib::Response& res) {
              send_json(res, {{"cancelled", queue.cancel(std::stoi(req.matches[1]))}});
            });
  // Server-Sent Events: the run's status at every change, until it ends.
  http.Get(R"(/api/runs/(\d+)/events)",
           [this](const httplib::Request& req, httplib::Response& res) {
             const int id = std::stoi(req.matches[1]);
             if (!queue.status(id)) return send_error(res, 404, "no such run");
             res.set_chunked_content_provider(
                 "text/event-stream",
                 [this, id, version = ~uint64_t{0}](size_t, httplib::DataSink& sink) mutable {
                   const auto s = queue.wait(id, version, 10000);
                   if (!s || !sink.is_writable()) return false;
                   version = (*s)["version"].get<uint64_t>();
                   const std::string event = "data: " + s->dump() + "\n\n";
                   if (!sink.write(event.data(), event.size())) return false;
                   const std::string state = (*s)["state"];
                   if (state != "queued" && state != "running") sink.done();
                   return true;
                 });
           });

  http.Get("/api/report", [this](const httplib::Request& req, httplib::Response& res) {
    const auto p = file_param(req, res, "path");
    if (!p) return;
    const fs::path html = fs::path(*p).replace_extension(".html");
    if (!fs::exists(html)) {  // written beside it, as `fourp report` would
      try {
        std::lock_guard writing(write_lock);
        app::report_command({p->string(), html.string(), "", false, true});
      } catch (const std::exception& e) {
        return send_error(res, 400, e.what());
      }
    }
    res.set_content(read_file(html), "text/html; charset=utf-8");
  });

  http.Get("/api/csv", [this](const httplib::Request& req, httplib::Response& res) {
    const auto p = file_param(req, res, "path");
    if (!p) return;
    const fs::path dir = fs::temp_directory_path() / fmt::format("fourp-csv-{}", random_token());
    try {
      const Results r = app::read_run_results(*p);
      write_csv(r, dir / "csv", false);
      const fs::path zip_path = dir / "csv.zip";
      int err = 0;
      zip_t* z = zip_open(zip_path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &err);
      if (z == nullptr) throw std::runtime_error("cannot make the zip file");
      for (const auto& f : csv_file_names(r.outputs.subgroup)) {
        zip_source_t* src = zip_source_file(z, (dir / "csv" / f).c_str(), 0, -1);
        if (src == nullptr || zip_file_add(z, f.c_str(), src, ZIP_FL_ENC_UTF_8) < 0) {
          if (src) zip_source_free(src);
          zip_discard(z);
          throw std::runtime_error("cannot add " + f + " to the zip file");
        }
      }
      if (zip_close(z) != 0) throw std::runtime_error("cannot write the zip file");
      res.set_content(read_file(zip_path), "application/zip");
      res.set_header("Content-Disposition",
                     fmt::format("attachment; filename=\"{}-csv.zip\"", p->stem().string()));
    } catch (const std::exception& e) {
      send_error(res, 400, e.what());
    }
    std::error_code ec;
    fs::remove_all(dir, ec);
  });

  http.Get("/api/compare", [this](const httplib::Request& req, httplib::Response& res) {
    const auto a = file_param(req, res, "a");
    if (!a) return;
    const auto b = file_param(req, res, "b");
    if (!b) return;
    try {
      const Results ra = app::read_run_results(*a), rb = app::read_run_results(*b);
      send_json(res, {{"a",
                       {{"path", workspace.name_of(*a)},
                        {"name", ra.scenario_name},
                        {"replicates", ra.replicates}}},
                      {"b",
                       {{"path", workspace.name_of(*b)},
                        {"name", rb.scenario_name},
                        {"replicates", rb.replicates}}},
                      {"rows", comparison_rows(ra, rb)}});
    } catch (const std::exception& e) {
      send_error(res, 400, e.what());
    }
  });
}

Server::Server(ServeOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {
  // A scenario may draw from a calibration's posterior (`uncertainty: {from: calib.h5}`): only
  // from a file of the workspace.
  impl_->previous_reader = joint_sample_reader();
  set_joint_sample_reader([this, previous = impl_->previous_reader](const fs::path& file) {
    if (!impl_->workspace.contains(file))
      throw std::runtime_error(
          "the file is outside the workspace (the app reads files only "
          "inside it)");
    if (!previous) throw std::runtime_error("this program reads no calibration file");
    return previous(file);
  });
  impl_->http.new_task_queue = [] { return new httplib::ThreadPool(16); };
  impl_->http.set_payload_max_length(impl_->options.max_body);
  impl_->http.set_keep_alive_timeout(2);
}

Server::~Server() {
  set_joint_sample_reader(impl_->previous_reader);
}

int Server::bind() {
  Impl& i = *impl_;
  i.port = i.options.port == 0
               ? i.http.bind_to_any_port(i.options.host)
               : (i.http.bind_to_port(i.options.host, i.options.port) ? i.options.port : -1);
  if (i.port < 0)
    throw std::runtime_error(
        fmt::format("cannot listen on {}:{} (in use? try --port)", i.options.host, i.options.port));
  i.guard = std::make_unique<Guard>(i.options.token.empty() ? random_token() : i.options.token,
                                    i.options.host, i.port);
  i.routes();
  return i.port;
}

std::string Server::url() const {
  return fmt::format("http://{}:{}/?token={}", impl_->options.host, impl_->port,
                     impl_->guard->token());
}

const fs::path& Server::workspace() const {
  return impl_->workspace.root();
}

void Server::listen() {
  impl_->http.listen_after_bind();
}

void Server::stop() {
  impl_->http.stop();
}

}  // namespace fourp::serve
