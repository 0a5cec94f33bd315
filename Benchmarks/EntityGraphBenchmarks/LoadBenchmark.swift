enum LoadBenchmark {
    static func run() throws {
        print("LoadBenchmark: not written yet")
    }
}
