import Foundation
import Testing

@testable import EntityGraph

/// Every rule of the format: the issue's code, message, JSON path, line:column and suggestion.
@Suite struct DocumentValidationTests {
    typealias Support = DocumentTestSupport

    @Test func validDocumentHasNoIssues() throws {
        let text = Support.document()
        #expect(Support.issues(text).isEmpty)
        let graph = try GraphDocument.read(Array(text.utf8))
        #expect(graph.entities.count == 3)
        #expect(graph.relations.count == 1)
        #expect(graph.documents.keys.first == "kyivpost")
    }

    // MARK: References

    @Test func unknownTargetSuggestsTheClosestID() throws {
        let text = Support.document(relations: [
            #"{"id": "r1", "type": "spokeWith", "source": "zelensky", "target": "lukashenk"}"#
        ])
        let issue = try #require(Support.singleIssue(text))
        #expect(issue.code == .unknownEntity)
        #expect(issue.severity == .error)
        #expect(issue.message == "unknown entity 'lukashenk'")
        #expect(issue.path == "$.relations[0].target")
        #expect(issue.line == 12)
        #expect(issue.column == 71)
        #expect(issue.suggestion == "did you mean 'lukashenko'?")
        let described = GraphDocument.validate(Array(text.utf8), fileName: "graph.json").first?.description
        #expect(
            described
                == "graph.json:12:71: error: relations[0].target: unknown entity 'lukashenk' — did you mean 'lukashenko'?"
        )
    }

    @Test func unknownAsserterMatchesAliasesCaseInsensitively() throws {
        let text = Support.document(relations: [
            #"{"id": "r2", "type": "statedAbout", "source": "zelensky", "target": "lukashenko", "certainty": "claimed", "assertedBy": "Zelenskyy"}"#
        ])
        let issue = try #require(Support.singleIssue(text))
        #expect(issue.code == .unknownEntity)
        #expect(issue.path == "$.relations[0].assertedBy")
        #expect(issue.line == 12)
        #expect(issue.column == 125)
        #expect(issue.suggestion == "did you mean 'zelensky' (Zelenskyy)?")
    }

    @Test func suggestionsIgnoreDiacriticsAndNamesWork() throws {
        let text = Support.document(relations: [
            #"{"id": "r3", "type": "spokeWith", "source": "Alexander Lukashenko", "target": "lukašenko"}"#
        ])
        let found = Support.issues(text)
        #expect(found.count == 2)
        #expect(found.map(\.path) == ["$.relations[0].source", "$.relations[0].target"])
        #expect(found[0].suggestion == "did you mean 'lukashenko' (Alexander Lukashenko)?")
        #expect(found[1].suggestion == "did you mean 'lukashenko'?")
        // Nothing close: a fix instead of a guess.
        let far = Support.document(relations: [#"{"id": "r", "type": "owns", "source": "zelensky", "target": "qqqq"}"#])
        #expect(Support.issues(far).first?.suggestion == "add an entity with this id to \"entities\", or fix the id")
    }

    @Test func unknownRelationTypeAndKindAndDocument() throws {
        let type = try #require(
            Support.singleIssue(
                Support.document(relations: [
                    #"{"id": "r3", "type": "spokewith", "source": "zelensky", "target": "lukashenko"}"#
                ])))
        #expect(type.code == .unknownRelationType)
        #expect(type.message == "unknown relation type 'spokewith'")
        #expect(type.path == "$.relations[0].type")
        #expect((type.line, type.column) == (12, 26))
        #expect(type.suggestion == "did you mean 'spokeWith'?")

        let kind = try #require(
            Support.singleIssue(
                Support.document(
                    entity:
                        #"{"id": "kuyun", "name": "Serhiy Kuyun", "kind": "persn"}"#)))
        #expect(kind.code == .unknownKind)
        #expect(kind.path == "$.entities[0].kind")
        #expect((kind.line, kind.column) == (4, 53))
        #expect(kind.suggestion == "did you mean 'person'?")

        let citation = try #require(
            Support.singleIssue(
                Support.document(relations: [
                    #"{"id": "r7", "type": "owns", "source": "lukashenko", "target": "mozyr-refinery", "sources": [{"document": "kyivpots", "locator": "¶3"}]}"#
                ])))
        #expect(citation.code == .unknownDocument)
        #expect(citation.path == "$.relations[0].sources[0].document")
        #expect((citation.line, citation.column) == (12, 111))
        #expect(citation.suggestion == "did you mean 'kyivpost'?")
    }

    @Test func referencesMayPointForwardInTheFile() throws {
        // Relations before entities, kinds and documents after their users: all valid.
        let text = """
            {
              "relations": [{"id": "r", "type": "metWith", "source": "a", "target": "b",
                             "sources": [{"document": "d"}]}],
              "entities": [{"id": "a", "name": "A", "kind": "militaryUnit"}, {"id": "b", "name": "B", "kind": "person"}],
              "kinds": [{"id": "militaryUnit", "label": "Military unit"}],
              "relationTypes": [{"id": "metWith", "label": "met with", "symmetric": true}],
              "documents": [{"id": "d", "title": "D"}],
              "formatVersion": 1
            }
            """
        let graph = try GraphDocument.read(Array(text.utf8))
        #expect(graph.relations.keys.elementsEqual(["r"]))
        #expect(graph.entities["a"]?.kind == "militaryUnit")
        #expect(graph.relationType("metWith")?.symmetric == true)
        // The same graph written in the usual order reads back equal.
        #expect(try GraphDocument.read(GraphDocument.write(graph)) == graph)

        // And a forward reference that never resolves is still reported, at its own position.
        let broken = text.replacingOccurrences(of: #""target": "b""#, with: #""target": "c""#)
        let issue = try #require(Support.singleIssue(broken))
        #expect(issue.code == .unknownEntity)
        #expect(issue.path == "$.relations[0].target")
        #expect((issue.line, issue.column) == (2, 73))
    }

    // MARK: Duplicates

    @Test func duplicateIDsPointToTheFirstOccurrence() throws {
        let entity = try #require(
            Support.singleIssue(
                """
                {
                  "formatVersion": 1,
                  "entities": [
                    {"id": "kuyun", "name": "Serhiy Kuyun", "kind": "person"},
                    {"id": "kuyun", "name": "Someone else", "kind": "person"}
                  ]
                }
                """))
        #expect(entity.code == .duplicateID)
        #expect(entity.message == "entity id 'kuyun' is already used (first at line 4, column 12)")
        #expect(entity.path == "$.entities[1].id")
        #expect((entity.line, entity.column) == (5, 12))

        let relation = try #require(
            Support.singleIssue(
                Support.document(relations: [
                    Support.defaultRelation, Support.defaultRelation,
                ])))
        #expect(relation.code == .duplicateID)
        #expect(relation.path == "$.relations[1].id")
        #expect(relation.message == "relation id 'r1' is already used (first at line 12, column 12)")
        #expect((relation.line, relation.column) == (13, 12))

        let vocabulary = Support.issues(
            """
            {
              "formatVersion": 1,
              "documents": [{"id": "d", "title": "D"}, {"id": "d", "title": "E"}],
              "kinds": [{"id": "unit", "label": "Unit"}, {"id": "unit", "label": "Unit"}],
              "relationTypes": [{"id": "met", "label": "met"}, {"id": "met", "label": "met"}],
              "entities": []
            }
            """)
        #expect(vocabulary.map(\.code) == [.duplicateID, .duplicateID, .duplicateID])
        #expect(vocabulary.map(\.path) == ["$.documents[1].id", "$.kinds[1].id", "$.relationTypes[1].id"])
        #expect(vocabulary[0].message == "document id 'd' is already used (first at line 3, column 24)")
        #expect(vocabulary[1].message.hasPrefix("kind id 'unit' is already used"))
        #expect(vocabulary[2].message.hasPrefix("relation type id 'met' is already used"))
    }

    @Test func duplicateOfARejectedRelationIsStillReported() {
        let found = Support.issues(
            Support.document(relations: [
                #"{"id": "r1", "type": "owns", "source": "nobody", "target": "lukashenko"}"#,
                #"{"id": "r1", "type": "owns", "source": "zelensky", "target": "lukashenko"}"#,
            ]))
        #expect(found.map(\.code) == [.unknownEntity, .duplicateID])
    }

    @Test func builtInVocabularyCannotBeRedeclared() throws {
        let found = Support.issues(
            """
            {
              "formatVersion": 1,
              "kinds": [{"id": "person", "label": "Human"}],
              "relationTypes": [{"id": "leads", "label": "heads"}],
              "entities": []
            }
            """)
        #expect(found.map(\.code) == [.redeclaredBuiltIn, .redeclaredBuiltIn])
        #expect(found[0].message == "kind 'person' is built in and cannot be declared again")
        #expect(found[0].path == "$.kinds[0].id")
        #expect((found[0].line, found[0].column) == (3, 20))
        #expect(found[1].message == "relation type 'leads' is built in and cannot be declared again")
    }

    // MARK: Values

    @Test func malformedDatesSayWhatIsExpected() throws {
        let found = Support.issues(
            Support.document(relations: [
                #"{"id": "r4", "type": "leads", "source": "lukashenko", "target": "mozyr-refinery", "since": "2022-02-30", "until": "2022-13"}"#
            ]))
        #expect(found.map(\.code) == [.invalidDate, .invalidDate])
        #expect(found[0].message == "'2022-02-30' does not exist: February 2022 has 28 days")
        #expect(found[0].path == "$.relations[0].since")
        #expect((found[0].line, found[0].column) == (12, 96))
        #expect(found[1].message == "'2022-13' has month 13; months run from 01 to 12")
        #expect((found[1].line, found[1].column) == (12, 119))

        let shape = Support.issues(
            Support.document(relations: [
                #"{"id": "r", "type": "leads", "source": "lukashenko", "target": "mozyr-refinery", "since": "22/02/2022"}"#
            ]))
        #expect(
            shape.first?.message
                == "'22/02/2022' is not a partial date: use YYYY, YYYY-MM or YYYY-MM-DD, e.g. 2022, 2022-10 or 2022-10-19"
        )
        let number = try #require(
            Support.singleIssue(
                Support.document(relations: [
                    #"{"id": "r", "type": "leads", "source": "lukashenko", "target": "mozyr-refinery", "since": 2022}"#
                ])))
        #expect(number.code == .wrongType)
        #expect(number.message == "expected a date string, found a number")
        #expect(number.suggestion == "put the date in quotes, e.g. \"2022\"")
        let leap = Support.issues(
            Support.document(relations: [
                #"{"id": "r", "type": "leads", "source": "lukashenko", "target": "mozyr-refinery", "since": "2024-02-29"}"#
            ]))
        #expect(leap.isEmpty)
    }

    @Test func sinceAfterUntil() throws {
        let issue = try #require(
            Support.singleIssue(
                Support.document(relations: [
                    #"{"id": "r5", "type": "owns", "source": "lukashenko", "target": "mozyr-refinery", "since": "2023", "until": "2022-05"}"#
                ])))
        #expect(issue.code == .sinceAfterUntil)
        #expect(issue.message == "since 2023 is after until 2022-05")
        #expect(issue.path == "$.relations[0].since")
        #expect((issue.line, issue.column) == (12, 95))
        // Overlapping precisions are consistent: it began in May 2022 and ended some time in 2022.
        let overlapping = Support.document(relations: [
            #"{"id": "r5", "type": "owns", "source": "lukashenko", "target": "mozyr-refinery", "since": "2022-05", "until": "2022"}"#
        ])
        #expect(Support.issues(overlapping).isEmpty)
    }

    @Test func unknownCertaintyListsTheAllowedValues() throws {
        let issue = try #require(
            Support.singleIssue(
                Support.document(relations: [
                    #"{"id": "r6", "type": "owns", "source": "lukashenko", "target": "mozyr-refinery", "certainty": "confimred"}"#
                ])))
        #expect(issue.code == .unknownCertainty)
        #expect(issue.message == "unknown certainty 'confimred'")
        #expect((issue.line, issue.column) == (12, 99))
        #expect(
            issue.suggestion
                == "did you mean 'confirmed'? (use one of confirmed, reported, claimed, alleged, disputed, denied)")
    }

    // MARK: Keys and fields

    @Test func unknownKeysAreErrorsWithDidYouMean() throws {
        let typo = try #require(
            Support.singleIssue(
                Support.document(
                    entity:
                        #"{"id": "kuyun", "nmae": "Serhiy Kuyun", "name": "Serhiy Kuyun", "kind": "person"}"#)))
        #expect(typo.code == .unknownKey)
        #expect(typo.severity == .error)
        #expect(typo.message == "unknown key 'nmae' in an entity")
        #expect(typo.path == "$.entities[0].nmae")
        #expect((typo.line, typo.column) == (4, 21))
        #expect(typo.suggestion == "did you mean 'name'?")

        let custom = try #require(
            Support.singleIssue(
                Support.document(
                    entity:
                        #"{"id": "kuyun", "name": "Serhiy Kuyun", "kind": "person", "favourite colour": "blue"}"#)))
        #expect(custom.path == #"$.entities[0]["favourite colour"]"#)
        #expect(custom.suggestion == "custom data belongs in \"attributes\"")

        let topLevel = try #require(Support.singleIssue(Support.document(extraTopLevel: ",\n  \"relashions\": []")))
        #expect(topLevel.code == .unknownKey)
        #expect(topLevel.path == "$.relashions")
        #expect((topLevel.line, topLevel.column) == (14, 3))
        #expect(topLevel.suggestion == "did you mean 'relations'?")
    }

    @Test func missingRequiredFields() {
        let found = Support.issues(Support.document(entity: #"{"name": "Serhiy Kuyun"}"#))
        #expect(found.map(\.code) == [.missingField, .missingField])
        #expect(found.map(\.message) == ["the entity has no \"id\"", "the entity has no \"kind\""])
        #expect(found.allSatisfy { $0.path == "$.entities[0]" && $0.line == 4 && $0.column == 5 })
        #expect(found[1].suggestion?.hasPrefix("add \"kind\": \"person\"") == true)

        let relation = Support.issues(Support.document(relations: [#"{"id": "r", "source": "zelensky"}"#]))
        #expect(relation.map(\.message) == ["the relation has no \"type\"", "the relation has no \"target\""])
        #expect(relation.allSatisfy { $0.path == "$.relations[0]" })
    }

    @Test func wrongJSONTypes() {
        let found = Support.issues(
            Support.document(
                entity:
                    #"{"id": "kuyun", "name": 5, "kind": "person", "aliases": "Kuyun", "attributes": [1], "sources": {}}"#
            ))
        #expect(found.map(\.code) == [.wrongType, .wrongType, .wrongType, .wrongType])
        #expect(
            found.map(\.message) == [
                "expected a string, found a number", "expected an array of strings, found a string",
                "expected an object, found an array", "expected an array of citations, found an object",
            ])
        #expect(
            found.map(\.path) == [
                "$.entities[0].name", "$.entities[0].aliases", "$.entities[0].attributes", "$.entities[0].sources",
            ])
        #expect(found.map(\.column) == [29, 61, 84, 100])

        let sections = Support.issues(
            #"{"formatVersion": 1, "entities": {"id": "x"}, "relationTypes": [{"id": "met", "label": "met", "symmetric": "yes"}]}"#
        )
        #expect(
            sections.map(\.message) == ["expected an array, found an object", "expected true or false, found a string"])
        #expect(sections.map(\.path) == ["$.entities", "$.relationTypes[0].symmetric"])

        let element = Support.issues(#"{"formatVersion": 1, "entities": ["lukashenko"]}"#)
        #expect(element.map(\.message) == ["expected an object (an entity), found a string"])
        #expect(element.map(\.path) == ["$.entities[0]"])
    }

    @Test func emptyAndWhitespaceValues() {
        let found = Support.issues(
            """
            {
              "formatVersion": 1,
              "entities": [
                {"id": "", "name": "Nobody", "kind": "person"},
                {"id": "a\\u001bb", "name": "   ", "kind": "person", "aliases": [""]},
                {"id": "Evelyn Jefferson", "name": "Evelyn Jefferson", "kind": "person"}
              ]
            }
            """)
        // An id may hold anything but control characters; spaces only earn the style warning.
        #expect(found.map(\.code) == [.emptyValue, .controlCharacterInID, .emptyValue, .emptyValue, .idStyle])
        #expect(found[0].message == "the entity id is empty")
        #expect(found[1].message == "the entity id contains the control character U+001B")
        #expect(found[1].suggestion == "remove it: an id may hold any other character, spaces included")
        #expect(found[4].severity == .warning)
        #expect(found[2].message == "the name is empty")
        #expect(found[2].path == "$.entities[1].name")
        #expect(found[3].message == "an alias is empty")
    }

    // MARK: The document as a whole

    @Test func formatVersionRules() throws {
        let newer = try #require(Support.singleIssue(#"{"formatVersion": 2, "entities": [], "newThing": 1}"#))
        #expect(newer.code == .unsupportedFormatVersion)
        #expect(newer.message == "this document uses format version 2; this version of EntityGraph reads version 1")
        #expect((newer.line, newer.column) == (1, 19))

        let quoted = try #require(Support.singleIssue(#"{"formatVersion": "1", "entities": []}"#))
        #expect(quoted.code == .wrongType)
        #expect(quoted.suggestion == "write \"formatVersion\": 1 without quotes")

        let missing = try #require(Support.singleIssue(#"{"entities": []}"#))
        #expect(missing.code == .missingField)
        #expect(missing.message == "the document has no \"formatVersion\"")
        #expect(missing.path == "$")

        let noEntities = try #require(Support.singleIssue(#"{"formatVersion": 1, "title": "t"}"#))
        #expect(noEntities.message == "the document has no \"entities\"")
    }

    @Test func notAGraphDocumentsGetOneClearMessage() throws {
        let nodeLink =
            #"{"directed": true, "multigraph": false, "graph": {}, "nodes": [{"id": 1}], "links": [{"source": 1, "target": 1}]}"#
        let issue = try #require(Support.singleIssue(nodeLink))
        #expect(issue.code == .notAGraphDocument)
        #expect(
            issue.message
                == "this is not an EntityGraph document: it looks like a networkx node-link graph (\"nodes\" and \"links\")"
        )
        #expect((issue.line, issue.column, issue.path) == (1, 1, "$"))

        let geoJSON = #"{"type": "FeatureCollection", "features": []}"#
        #expect(
            Support.singleIssue(geoJSON)?.message == "this is not an EntityGraph document: it looks like a GeoJSON file"
        )

        let array = try #require(Support.singleIssue("[1, 2, 3]"))
        #expect(array.code == .notAGraphDocument)
        #expect(array.message.hasPrefix("this is not an EntityGraph document: the top level is an array"))

        let other = try #require(Support.singleIssue(#"{"name": "x", "items": []}"#))
        #expect(
            other.message
                == "this is not an EntityGraph document: the object has \"name\", \"items\" but no \"formatVersion\" or \"entities\""
        )

        let empty = try #require(Support.singleIssue("  \n"))
        #expect(empty.code == .notAGraphDocument)
        #expect(empty.message.hasPrefix("the document is empty"))
    }

    @Test func everyProblemIsReportedAtOnce() throws {
        let text = Support.document(relations: [
            #"{"id": "r1", "type": "spokewith", "source": "zelensky", "target": "lukashenk"}"#,
            #"{"id": "r2", "type": "owns", "source": "lukashenko", "target": "mozyr-refinery", "since": "2022-02-30", "certainty": "sure"}"#,
            #"{"id": "r1", "type": "owns", "source": "lukashenko", "target": "mozyr-refinery", "colour": "red"}"#,
        ])
        let found = Support.issues(text)
        #expect(
            found.map(\.code) == [
                .unknownRelationType, .unknownEntity, .invalidDate, .unknownCertainty, .duplicateID, .unknownKey,
            ])
        #expect(found.map(\.line) == [12, 12, 13, 13, 14, 14])
        do {
            _ = try GraphDocument.read(Array(text.utf8), fileName: "g.json")
            Issue.record("read should have thrown")
        } catch {
            #expect(error.issues == GraphDocument.validate(Array(text.utf8), fileName: "g.json"))
            #expect(error.contains(.unknownEntity))
            #expect(error.description.hasSuffix("\n6 errors"))
            #expect(
                error.description.hasPrefix("g.json:12:26: error: relations[0].type: unknown relation type 'spokewith'")
            )
        }
    }

    // MARK: Warnings

    @Test func warningsDoNotStopReading() throws {
        let text = """
            {
              "formatVersion": 1,
              "documents": [{"id": "d", "title": "D", "url": "ftp://example.org/x"}],
              "kinds": [{"id": "Military_Unit", "label": "Military unit"}],
              "entities": [
                {"id": "Zelensky", "name": "Volodymyr Zelensky", "kind": "person"},
                {"id": "unit", "name": "Unit", "kind": "Military_Unit"}
              ],
              "relations": [{"id": "r", "type": "accuses", "source": "Zelensky", "target": "unit", "certainty": "alleged"}]
            }
            """
        let decoded = GraphDocument.decode(Array(text.utf8))
        #expect(decoded.errors.isEmpty)
        #expect(decoded.warnings.map(\.code) == [.unlinkableURL, .idStyle, .idStyle, .missingAsserter])
        #expect(decoded.warnings[1].suggestion == "use lowerCamelCase (e.g. 'militaryUnit')")
        #expect(decoded.warnings[2].message == "the entity id 'Zelensky' is not in the recommended style")
        #expect(decoded.warnings[3].message == "an alleged relation does not say who alleges it")
        #expect(decoded.warnings.allSatisfy { $0.severity == .warning })
        let graph = try GraphDocument.read(Array(text.utf8))
        #expect(graph.relations.count == 1)
    }

    @Test func issueCodesMatchInSwitchAndCatch() {
        let issue = ValidationIssue(severity: .error, code: .unknownKind, message: "m", path: "$")
        switch issue {
        case ValidationIssue.Code.unknownKind: break
        default: Issue.record("~= should match by code")
        }
        #expect(issue.code.rawValue == "unknownKind")
        #expect(issue.description == "error: m")
        let located = ValidationIssue(
            severity: .warning, code: "custom", message: "m", path: "$.a[1]", line: 3,
            column: 4, suggestion: "fix it")
        #expect(located.description == "3:4: warning: a[1]: m — fix it")
    }
}
