// swift-tools-version: 6.0
// libFuzzer targets for the readers (JSON, CSV, DOT, GraphML/GEXF in FuzzXML, FollowTheMoney in
// FuzzFTM). A separate package so that a plain `swift build` of the root package never sees an
// executable without `main`. Build and run with `make fuzz`
// (docs/Reliability.md, "Fuzzing").
import PackageDescription

let package = Package(
    name: "EntityGraphFuzz",
    platforms: [.macOS(.v14)],
    dependencies: [.package(name: "EntityGraph", path: "..")],
    targets: [
        .target(name: "LibFuzzerDriver"),
        .executableTarget(
            name: "FuzzJSON",
            dependencies: ["LibFuzzerDriver", .product(name: "EntityGraph", package: "EntityGraph")]
        ),
        .executableTarget(
            name: "FuzzCSV",
            dependencies: ["LibFuzzerDriver", .product(name: "EntityGraph", package: "EntityGraph")]
        ),
        .executableTarget(
            name: "FuzzXML",
            dependencies: ["LibFuzzerDriver", .product(name: "EntityGraph", package: "EntityGraph")]
        ),
        .executableTarget(
            name: "FuzzFTM",
            dependencies: ["LibFuzzerDriver", .product(name: "EntityGraph", package: "EntityGraph")]
        ),
        .executableTarget(
            name: "FuzzDOT",
            dependencies: [
                "LibFuzzerDriver",
                .product(name: "EntityGraph", package: "EntityGraph"),
                .product(name: "EntityGraphviz", package: "EntityGraph"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
