// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "EntityGraph",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "EntityGraph", targets: ["EntityGraph"]),
        .library(name: "EntityGraphviz", targets: ["EntityGraphviz"]),
        .executable(name: "entitygraph", targets: ["entitygraph"]),
        // The layout worker: an app that renders names this product in its target's dependencies.
        .executable(name: "entitygraph-worker", targets: ["entitygraph-worker"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // Pure Swift: the model, the file formats that need no Graphviz, validation and queries.
        .target(
            name: "EntityGraph",
            dependencies: [.product(name: "OrderedCollections", package: "swift-collections")]
        ),
        // Graphviz's C libraries (cgraph + gvc), found through pkg-config. No copied headers.
        .systemLibrary(
            name: "CGraphvizLibrary",
            pkgConfig: "libgvc",
            providers: [.apt(["libgraphviz-dev"]), .brew(["graphviz"])]
        ),
        // The small C shim over them (include/shim.h, shim.c): version differences, macros, and the
        // C state Graphviz needs from us (the id discipline, the DOT reader's input channel).
        .target(
            name: "CGraphviz",
            dependencies: ["CGraphvizLibrary"],
            linkerSettings: [.linkedLibrary("gvc"), .linkedLibrary("cgraph"), .linkedLibrary("cdt")]
        ),
        // The only module that imports CGraphviz (with `internal import`).
        .target(
            name: "EntityGraphviz",
            dependencies: ["EntityGraph", "CGraphviz"]
        ),
        // Runs Graphviz for LayoutWorkerPool, so that a Graphviz crash fails one render, not the app.
        .executableTarget(name: "entitygraph-worker", dependencies: ["EntityGraphviz"]),
        .executableTarget(
            name: "entitygraph",
            dependencies: [
                "EntityGraph", "EntityGraphviz",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // `make bench`: release-mode benchmarks that compare against networkx, igraph, dot and sfdp.
        .executableTarget(
            name: "EntityGraphBenchmarks",
            dependencies: [
                "EntityGraph", "EntityGraphviz", "entitygraph-worker",
                .product(name: "OrderedCollections", package: "swift-collections"),
            ],
            path: "Benchmarks/EntityGraphBenchmarks"
        ),
        .testTarget(name: "EntityGraphTests", dependencies: ["EntityGraph"]),
        .testTarget(
            name: "EntityGraphvizTests", dependencies: ["EntityGraphviz", "EntityGraph", "entitygraph-worker"],
            exclude: ["Fixtures"]),
        .testTarget(name: "entitygraphTests", dependencies: ["entitygraph"], exclude: ["Snapshots"]),
    ],
    swiftLanguageModes: [.v6]
)
