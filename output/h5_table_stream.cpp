// Streamed HDF5 tables (h5_table_stream.h): the compound type of a row, chunked appends and
// block reads through hyperslab selections.
#include "output/h5_table_stream.h"

#include <hdf5.h>

#include <bit>

#include <fmt/format.h>

namespace fourp {

namespace {

static_assert(std::endian::native == std::endian::little,
              "streamed tables are packed little-endian in memory as on disk");

void h5_check(herr_t status, const std::string& what) {
  if (status < 0) throw h5::Error(what + ": " + h5::reason());
}

h5::Handle column_type(const H5Column& c) {
  switch (c.type) {
    case h5::Type::u8:
      return h5::Handle(H5Tcopy(H5T_STD_U8LE), "creating type");
    case h5::Type::u32:
      return h5::Handle(H5Tcopy(H5T_STD_U32LE), "creating type");
    case h5::Type::u64:
      return h5::Handle(H5Tcopy(H5T_STD_U64LE), "creating type");
    case h5::Type::string: {
      h5::Handle t(H5Tcopy(H5T_C_S1), "creating string type");
      h5_check(H5Tset_size(t.id(), column_bytes(c)), "sizing string type");
      h5_check(H5Tset_strpad(t.id(), H5T_STR_NULLPAD), "setting string padding");
      h5_check(H5Tset_cset(t.id(), H5T_CSET_UTF8), "setting string encoding");
      return t;
    }
    default:
      return h5::Handle(H5Tcopy(H5T_IEEE_F64LE), "creating type");
  }
}

}  // namespace

size_t column_bytes(const H5Column& c) {
  switch (c.type) {
    case h5::Type::u8:
      return 1;
    case h5::Type::u32:
      return 4;
    case h5::Type::string:
      return std::max<size_t>(c.width, 1);
    default:
      return 8;
  }
}

// ---- H5Appender

H5Appender::H5Appender(const h5::Handle& parent, const std::string& name,
                       std::vector<H5Column> cols, uint64_t expected_rows)
    : name_(name), cols_(std::move(cols)) {
  for (const H5Column& c : cols_) {
    offsets_.push_back(row_size_);
    row_size_ += column_bytes(c);
  }
  type_ = h5::Handle(H5Tcreate(H5T_COMPOUND, row_size_), "creating table type " + name);
  for (size_t i = 0; i < cols_.size(); ++i) {
    const h5::Handle t = column_type(cols_[i]);
    h5_check(H5Tinsert(type_.id(), cols_[i].name.c_str(), offsets_[i], t.id()),
             fmt::format("adding field '{}' to table '{}'", cols_[i].name, name));
  }
  // Chunks of whole rows (~at most 1024): the same rows always give the same chunks.
  chunk_rows_ = std::clamp<uint64_t>(expected_rows, 1, 1024);
  const hsize_t dims[1] = {0}, max[1] = {H5S_UNLIMITED}, chunk[1] = {chunk_rows_};
  const h5::Handle space(H5Screate_simple(1, dims, max), "creating dataspace");
  const h5::Handle dcpl(H5Pcreate(H5P_DATASET_CREATE), "creating dataset properties");
  h5_check(H5Pset_obj_track_times(dcpl.id(), false), "disabling time tracking");
  h5_check(H5Pset_chunk(dcpl.id(), 1, chunk), "setting chunks");
  h5_check(H5Pset_shuffle(dcpl.id()), "setting shuffle filter");
  h5_check(H5Pset_deflate(dcpl.id(), 4), "setting deflate filter");
  dset_ = h5::Handle(H5Dcreate2(parent.id(), name.c_str(), type_.id(), space.id(), H5P_DEFAULT,
                                dcpl.id(), H5P_DEFAULT),
                     fmt::format("creating dataset '{}'", name));
  row_.assign(row_size_, 0);
  buffer_.reserve(chunk_rows_ * row_size_);
}

void H5Appender::flush() {
  if (buffered_ == 0) return;
  const hsize_t size[1] = {written_ + buffered_};
  h5_check(H5Dset_extent(dset_.id(), size), fmt::format("extending '{}'", name_));
  const h5::Handle fspace(H5Dget_space(dset_.id()), "getting dataspace");
  const hsize_t start[1] = {written_}, count[1] = {buffered_};
  h5_check(H5Sselect_hyperslab(fspace.id(), H5S_SELECT_SET, start, nullptr, count, nullptr),
           "selecting rows");
  const h5::Handle mspace(H5Screate_simple(1, count, nullptr), "creating dataspace");
  h5_check(H5Dwrite(dset_.id(), type_.id(), mspace.id(), fspace.id(), H5P_DEFAULT, buffer_.data()),
           fmt::format("writing '{}'", name_));
  written_ += buffered_;
  buffered_ = 0;
  buffer_.clear();
}

// ---- H5RowReader

H5RowReader::H5RowReader(const h5::Handle& parent, const std::string& name) : name_(name) {
  dset_ = h5::Handle(H5Dopen2(parent.id(), name.c_str(), H5P_DEFAULT),
                     fmt::format("opening '{}'", name));
  type_ = h5::Handle(H5Dget_type(dset_.id()), "reading table type");
  if (H5Tget_class(type_.id()) != H5T_COMPOUND)
    throw h5::Error(fmt::format("'{}' is not a table", name));
  row_size_ = H5Tget_size(type_.id());
  const h5::Handle space(H5Dget_space(dset_.id()), "getting dataspace");
  hsize_t dims[1] = {0};
  if (H5Sget_simple_extent_ndims(space.id()) != 1)
    throw h5::Error(fmt::format("'{}' is not a one-dimensional table", name));
  H5Sget_simple_extent_dims(space.id(), dims, nullptr);
  rows_ = dims[0];
}

std::pair<size_t, size_t> H5RowReader::field(const std::string& f) const {
  const int i = H5Tget_member_index(type_.id(), f.c_str());
  if (i < 0) {
    H5Eclear2(H5E_DEFAULT);
    throw h5::Error(fmt::format("table '{}' has no field '{}'", name_, f));
  }
  const h5::Handle t(H5Tget_member_type(type_.id(), static_cast<unsigned>(i)), "field type");
  return {H5Tget_member_offset(type_.id(), static_cast<unsigned>(i)), H5Tget_size(t.id())};
}

void H5RowReader::read(uint64_t first, uint64_t count) {
  buffer_.resize(count * row_size_);
  if (count == 0) return;
  const h5::Handle fspace(H5Dget_space(dset_.id()), "getting dataspace");
  const hsize_t start[1] = {first}, n[1] = {count};
  h5_check(H5Sselect_hyperslab(fspace.id(), H5S_SELECT_SET, start, nullptr, n, nullptr),
           "selecting rows");
  const h5::Handle mspace(H5Screate_simple(1, n, nullptr), "creating dataspace");
  h5_check(H5Dread(dset_.id(), type_.id(), mspace.id(), fspace.id(), H5P_DEFAULT, buffer_.data()),
           fmt::format("reading '{}'", name_));
}

}  // namespace fourp
