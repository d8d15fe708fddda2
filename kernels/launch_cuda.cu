// CUDA launcher: one thread per path for the simulation, one thread per
// (statistics row, block) for the reduction, running the same kernels/chunk.h
// code as the CPU launcher.
#include <cuda_runtime.h>
#include <thrust/device_ptr.h>
#include <thrust/execution_policy.h>
#include <thrust/reduce.h>
#include <thrust/sort.h>

#include <chrono>
#include <stdexcept>
#include <string>

#include "kernels/chunk_runner.h"

namespace condor {
namespace {

void check(cudaError_t status, const char* what) {
    if (status != cudaSuccess)
        throw std::runtime_error(std::string("CUDA: ") + what + ": " + cudaGetErrorString(status));
}

template <class Fn>
__global__ void for_each_index(std::uint32_t n, Fn fn) {
    const std::uint32_t i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) fn(i);
}

template <class Fn>
__global__ void for_each_row_block(int rows, std::uint32_t blocks, Fn fn) {
    const std::uint64_t i = std::uint64_t(blockIdx.x) * blockDim.x + threadIdx.x;
    if (i < std::uint64_t(rows) * blocks) fn(int(i / blocks), std::uint32_t(i % blocks));
}

// The strategy kernel: one thread per path, running every strategy. Left alone
// it takes 255 registers, so 2 blocks (8 warps) per multiprocessor; asking for 4
// blocks caps it at 128 registers and it spills, but the extra warps hide more of
// its latency: 2.85 -> 2.74 s at 1e7 paths on an H200, measured with one thread
// per (strategy, path) (3 blocks: 2.81 s; docs/performance.md).
constexpr int kStrategyThreads = 128;
constexpr int kStrategyMinBlocks = 4;
template <class Fn>
__global__ void __launch_bounds__(kStrategyThreads, kStrategyMinBlocks) for_each_trade(std::uint32_t n, Fn fn) {
    const std::uint32_t i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) fn(i);
}

template <class T>
class DeviceArray {
public:
    explicit DeviceArray(std::size_t n = 0) : n_(n) {
        if (n) check(cudaMalloc(&data_, n * sizeof(T)), "cudaMalloc");
    }
    ~DeviceArray() { cudaFree(data_); }
    DeviceArray(const DeviceArray&) = delete;
    DeviceArray& operator=(const DeviceArray&) = delete;
    T* get() const { return data_; }
    std::size_t size() const { return n_; }

private:
    T* data_ = nullptr;
    std::size_t n_ = 0;
};

template <class Real>
class CudaRunner final : public ChunkRunner<Real> {
public:
    CudaRunner(const SimParams<Real>& params, const StatsLayout& layout, std::uint32_t capacity, int device,
               const StrategyRunParams* strategies)
        : params_(params), layout_(layout), capacity_(capacity), device_(device) {
        check(cudaSetDevice(device), "cudaSetDevice");
        if (strategies && strategies->strategy_count > 0) upload_strategies(*strategies);
        const std::size_t rows = std::size_t(layout.stored_days()) * capacity;
        for (auto& series : daily_) series = std::make_unique<DeviceArray<Real>>(rows);
        for (auto& series : per_path_) series = std::make_unique<DeviceArray<Real>>(capacity);
        for (auto& counts : counts_) counts = std::make_unique<DeviceArray<std::uint32_t>>(capacity);
        const std::vector<long long> offsets = histogram_row_offsets(layout);
        row_offsets_ = std::make_unique<DeviceArray<long long>>(offsets.size());
        check(
            cudaMemcpy(row_offsets_->get(), offsets.data(), offsets.size() * sizeof(long long), cudaMemcpyHostToDevice),
            "copy row offsets");
        histograms_ = std::make_unique<DeviceArray<unsigned long long>>(layout.histogram_size());
        check(cudaMemset(histograms_->get(), 0, histograms_->size() * sizeof(unsigned long long)), "clear histograms");
        const std::uint32_t max_blocks = (capacity + kStatsBlock - 1) / kStatsBlock;
        moments_ = std::make_unique<DeviceArray<BlockMoments>>(std::size_t(layout.rows()) * max_blocks);
        check(cudaEventCreate(&start_), "cudaEventCreate");
        check(cudaEventCreate(&middle_), "cudaEventCreate");
        check(cudaEventCreate(&stop_), "cudaEventCreate");
    }
    ~CudaRunner() override {
        cudaEventDestroy(start_);
        cudaEventDestroy(middle_);
        cudaEventDestroy(stop_);
    }

    std::uint32_t capacity() const override { return capacity_; }

    ChunkTimings run_chunk(std::uint64_t first_path, std::uint32_t count, ChunkTotals& totals) override {
        // Each device's runner is driven from its own host thread (host/engine.cpp).
        check(cudaSetDevice(device_), "cudaSetDevice");
        const ChunkView<Real> view = make_view(first_path, count);
        last_first_path_ = first_path;
        last_count_ = count;
        constexpr int kThreads = 128;
        check(cudaEventRecord(start_), "event");
        for_each_index<<<(count + kThreads - 1) / kThreads, kThreads>>>(count, SimulateChunkFn<Real>{params_, view});
        check(cudaGetLastError(), "simulate kernel launch");
        check(cudaEventRecord(middle_), "event");

        totals.blocks = (count + kStatsBlock - 1) / kStatsBlock;
        const ReduceRowBlockFn<Real, true> reduce{
            view, layout_, totals.blocks, moments_->get(), histograms_->get(), row_offsets_->get()};
        const std::uint64_t work = std::uint64_t(layout_.rows()) * totals.blocks;
        for_each_row_block<<<unsigned((work + kThreads - 1) / kThreads), kThreads>>>(layout_.rows(), totals.blocks,
                                                                                     reduce);
        check(cudaGetLastError(), "reduce kernel launch");
        totals.moments.resize(work);
        check(cudaMemcpy(totals.moments.data(), moments_->get(), work * sizeof(BlockMoments), cudaMemcpyDeviceToHost),
              "copy moments");
        unsigned long long* sums[3] = {&totals.jumps, &totals.events, &totals.shocks_capped};
        for (int k = 0; k < 3; ++k) {
            thrust::device_ptr<std::uint32_t> p(counts_[k]->get());
            *sums[k] = thrust::reduce(thrust::device, p, p + count, 0ull);
        }
        check(cudaEventRecord(stop_), "event");
        check(cudaEventSynchronize(stop_), "synchronize");
        float simulate_ms = 0, reduce_ms = 0;
        cudaEventElapsedTime(&simulate_ms, start_, middle_);
        cudaEventElapsedTime(&reduce_ms, middle_, stop_);
        return ChunkTimings{simulate_ms * 1e-3, reduce_ms * 1e-3};
    }

    StrategyTimings run_strategies(StrategyTotals& totals) override {
        const auto wall_start = std::chrono::steady_clock::now();
        const std::uint32_t count = last_count_;
        totals = StrategyTotals{};
        if (strategy_count_ == 0) return {};
        check(cudaSetDevice(device_), "cudaSetDevice");
        check(cudaEventRecord(start_), "event");
        // The paths in the order of their sort key, so that a warp's paths trade
        // alike (kernels/strategy_order.h; the sort is timed with the kernel).
        const ChunkView<Real> view = make_view(last_first_path_, count);
        constexpr int kThreads = 128;
        const StrategyOrderKeyFn<Real> key{strategy_params_->get(), view, order_keys_->get(), path_order_->get()};
        for_each_index<<<(count + kThreads - 1) / kThreads, kThreads>>>(count, key);
        check(cudaGetLastError(), "strategy order key launch");
        thrust::sort_by_key(thrust::device, order_keys_->get(), order_keys_->get() + count, path_order_->get());
        const StrategyChunkFn<Real> fn{strategy_params_->get(), view, outcomes_->get(), classes_->get(),
                                       path_order_->get()};
        for_each_trade<<<unsigned((count + kStrategyThreads - 1) / kStrategyThreads), kStrategyThreads>>>(count, fn);
        check(cudaGetLastError(), "strategy kernel launch");
        check(cudaEventRecord(stop_), "event");

        // The outcomes (80 bytes per path and strategy, 1.6 GB for 1e7 paths and
        // two strategies) stay on the device: one thread per (row, block) sums
        // them, and only the block sums (3.3 bytes per path for two strategies) come back.
        totals.blocks = (count + kStatsBlock - 1) / kStatsBlock;
        const int rows = trade_rows(strategy_count_), all_rows = rows + pair_rows(strategy_count_);
        const ReduceTradeBlockFn<true> reduce{
            strategy_params_->get(), outcomes_->get(),   classes_->get(),   count,
            totals.blocks,           trade_sums_->get(), pair_sums_->get(), trade_histograms_->get()};
        const std::uint64_t work = std::uint64_t(all_rows) * totals.blocks;
        for_each_row_block<<<unsigned((work + kThreads - 1) / kThreads), kThreads>>>(all_rows, totals.blocks, reduce);
        check(cudaGetLastError(), "strategy statistics kernel launch");
        totals.sums.resize(std::size_t(rows) * totals.blocks);
        totals.pair_sums.resize(std::size_t(all_rows - rows) * totals.blocks);
        check(cudaMemcpy(totals.sums.data(), trade_sums_->get(), totals.sums.size() * sizeof(TradeBlockSums),
                         cudaMemcpyDeviceToHost),
              "copy strategy block sums");
        check(cudaMemcpy(totals.pair_sums.data(), pair_sums_->get(), totals.pair_sums.size() * sizeof(PairBlockSums),
                         cudaMemcpyDeviceToHost),
              "copy pair block sums");
        float ms = 0;
        check(cudaEventElapsedTime(&ms, start_, stop_), "event time");
        const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
        const double kernel = ms * 1e-3;
        return {kernel, wall > kernel ? wall - kernel : 0.0};
    }

    void copy_outcomes(std::vector<TradeOutcome>& outcomes, std::vector<std::uint8_t>& classes) const override {
        check(cudaSetDevice(device_), "cudaSetDevice");
        outcomes.resize(std::size_t(strategy_count_) * last_count_);
        classes.resize(strategy_count_ > 0 ? last_count_ : 0);
        if (outcomes.empty()) return;
        check(cudaMemcpy(outcomes.data(), outcomes_->get(), outcomes.size() * sizeof(TradeOutcome),
                         cudaMemcpyDeviceToHost),
              "copy outcomes");
        check(cudaMemcpy(classes.data(), classes_->get(), classes.size(), cudaMemcpyDeviceToHost), "copy classes");
    }

    std::vector<unsigned long long> trade_histograms() const override {
        return strategy_count_ == 0 ? std::vector<unsigned long long>{}
                                    : download(*trade_histograms_, "copy strategy histograms");
    }

    void copy_first_paths(int k, std::vector<Real> (&out)[kDailySeriesCount]) const override {
        check(cudaSetDevice(device_), "cudaSetDevice");
        for (int s = 0; s < kDailySeriesCount; ++s) {
            out[s].resize(std::size_t(layout_.stored_days()) * k);
            check(cudaMemcpy2D(out[s].data(), k * sizeof(Real), daily_[s]->get(), capacity_ * sizeof(Real),
                               k * sizeof(Real), layout_.stored_days(), cudaMemcpyDeviceToHost),
                  "copy sample paths");
        }
    }

    std::vector<unsigned long long> histograms() const override { return download(*histograms_, "copy histograms"); }

    std::string device_name() const override { return cuda_device_description(device_); }

private:
    // The whole of a device array, copied to the host.
    template <class T>
    std::vector<T> download(const DeviceArray<T>& device, const char* what) const {
        check(cudaSetDevice(device_), "cudaSetDevice");
        std::vector<T> host(device.size());
        check(cudaMemcpy(host.data(), device.get(), host.size() * sizeof(T), cudaMemcpyDeviceToHost), what);
        return host;
    }

    template <class T>
    std::unique_ptr<DeviceArray<T>> upload(const T* host, std::size_t n, const char* what) {
        auto device = std::make_unique<DeviceArray<T>>(n);
        if (n) check(cudaMemcpy(device->get(), host, n * sizeof(T), cudaMemcpyHostToDevice), what);
        return device;
    }

    // The parameters and the tables they point to, copied to the device; the
    // copy of the parameters points to the device tables.
    void upload_strategies(const StrategyRunParams& host) {
        StrategyRunParams device = host;
        const TableSizes n = table_sizes(host);
        spx_ratio_ = upload(host.spx_table.ratio, n.spx_ratio, "copy SPX table");
        device.spx_table.ratio = spx_ratio_->get();
        if (host.has_vix_table) {
            vix_log_width_ = upload(host.vix_table.log_width, n.vix_log_width, "copy VIX table");
            vix_quantiles_ = upload(host.vix_table.quantiles, n.vix_quantiles, "copy VIX table");
            vix_cubic_weight_ = upload(host.vix_table.cubic_weight, n.vix_cubic_weight, "copy VIX table");
            vix_future_ratio_ = upload(host.vix_table.future.ratio, n.vix_future_ratio, "copy VIX futures table");
            device.vix_table.log_width = vix_log_width_->get();
            device.vix_table.quantiles = vix_quantiles_->get();
            device.vix_table.cubic_weight = vix_cubic_weight_->get();
            device.vix_table.future.ratio = vix_future_ratio_->get();
        }
        strategy_params_ = upload(&device, 1, "copy strategy parameters");
        strategy_count_ = host.strategy_count;
        outcomes_ = std::make_unique<DeviceArray<TradeOutcome>>(std::size_t(strategy_count_) * capacity_);
        classes_ = std::make_unique<DeviceArray<std::uint8_t>>(capacity_);
        order_keys_ = std::make_unique<DeviceArray<std::uint32_t>>(capacity_);
        path_order_ = std::make_unique<DeviceArray<std::uint32_t>>(capacity_);
        const std::size_t max_blocks = (capacity_ + kStatsBlock - 1) / kStatsBlock;
        trade_sums_ = std::make_unique<DeviceArray<TradeBlockSums>>(trade_rows(strategy_count_) * max_blocks);
        pair_sums_ = std::make_unique<DeviceArray<PairBlockSums>>(pair_rows(strategy_count_) * max_blocks);
        trade_histograms_ = std::make_unique<DeviceArray<unsigned long long>>(trade_histogram_total(host));
        check(cudaMemset(trade_histograms_->get(), 0, trade_histograms_->size() * sizeof(unsigned long long)),
              "clear strategy histograms");
    }

    ChunkView<Real> make_view(std::uint64_t first_path, std::uint32_t count) const {
        ChunkView<Real> v{};
        v.first_path = first_path;
        v.count = count;
        v.stride = capacity_;
        v.days = params_.days;
        v.first_day = layout_.first_day;
        for (int s = 0; s < kDailySeriesCount; ++s) v.daily[s] = daily_[s]->get();
        for (int s = 0; s < kPathSeriesCount; ++s) v.per_path[s] = per_path_[s]->get();
        v.jumps = counts_[0]->get();
        v.events = counts_[1]->get();
        v.shocks_capped = counts_[2]->get();
        return v;
    }

    SimParams<Real> params_;
    StatsLayout layout_;
    std::uint32_t capacity_;
    int device_;
    std::unique_ptr<DeviceArray<Real>> daily_[kDailySeriesCount];
    std::unique_ptr<DeviceArray<Real>> per_path_[kPathSeriesCount];
    std::unique_ptr<DeviceArray<std::uint32_t>> counts_[3];
    std::unique_ptr<DeviceArray<long long>> row_offsets_;
    std::unique_ptr<DeviceArray<unsigned long long>> histograms_;
    std::unique_ptr<DeviceArray<BlockMoments>> moments_;
    cudaEvent_t start_{}, middle_{}, stop_{};
    std::uint64_t last_first_path_ = 0;
    std::uint32_t last_count_ = 0;
    int strategy_count_ = 0;
    std::unique_ptr<DeviceArray<StrategyRunParams>> strategy_params_;
    std::unique_ptr<DeviceArray<float>> spx_ratio_, vix_log_width_, vix_cubic_weight_, vix_future_ratio_;
    std::unique_ptr<DeviceArray<double>> vix_quantiles_;
    std::unique_ptr<DeviceArray<TradeOutcome>> outcomes_;
    std::unique_ptr<DeviceArray<std::uint8_t>> classes_;
    std::unique_ptr<DeviceArray<std::uint32_t>> order_keys_, path_order_;  // kernels/strategy_order.h
    std::unique_ptr<DeviceArray<TradeBlockSums>> trade_sums_;
    std::unique_ptr<DeviceArray<PairBlockSums>> pair_sums_;
    std::unique_ptr<DeviceArray<unsigned long long>> trade_histograms_;
};

}  // namespace

template <class Real>
std::unique_ptr<ChunkRunner<Real>> make_cuda_runner(const SimParams<Real>& params, const StatsLayout& layout,
                                                    std::uint32_t capacity, int device,
                                                    const StrategyRunParams* strategies) {
    return std::make_unique<CudaRunner<Real>>(params, layout, capacity, device, strategies);
}

template std::unique_ptr<ChunkRunner<float>> make_cuda_runner(const SimParams<float>&, const StatsLayout&,
                                                              std::uint32_t, int, const StrategyRunParams*);
template std::unique_ptr<ChunkRunner<double>> make_cuda_runner(const SimParams<double>&, const StatsLayout&,
                                                               std::uint32_t, int, const StrategyRunParams*);

int cuda_device_count() {
    int n = 0;
    if (cudaGetDeviceCount(&n) != cudaSuccess) {
        cudaGetLastError();  // clear the sticky "no device" error
        return 0;
    }
    return n;
}

std::string cuda_device_description(int device) {
    cudaDeviceProp prop{};
    if (cudaGetDeviceProperties(&prop, device) != cudaSuccess) return "unknown CUDA device";
    int driver = 0;
    cudaDriverGetVersion(&driver);
    return std::string(prop.name) + " (sm_" + std::to_string(prop.major) + std::to_string(prop.minor) + ", " +
           std::to_string(prop.totalGlobalMem >> 20) + " MiB, driver " + std::to_string(driver / 1000) + "." +
           std::to_string(driver % 1000 / 10) + ")";
}

std::string cuda_driver_version() {
    int driver = 0;
    if (cudaDriverGetVersion(&driver) != cudaSuccess) return "-";
    return std::to_string(driver / 1000) + "." + std::to_string(driver % 1000 / 10);
}

std::size_t cuda_free_memory(int device) {
    std::size_t free_bytes = 0, total = 0;
    if (cudaSetDevice(device) != cudaSuccess || cudaMemGetInfo(&free_bytes, &total) != cudaSuccess) return 0;
    return free_bytes;
}

}  // namespace condor
