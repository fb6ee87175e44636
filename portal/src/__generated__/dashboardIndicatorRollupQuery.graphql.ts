/**
 * @generated SignedSource<<5c5460255abcb08794cb5d0feb3efe13>>
 * @relayHash 039ee2faccda41d31359c784dd07d5ba
 * @lightSyntaxTransform
 * @nogrep
 */

/* tslint:disable */
/* eslint-disable */
// @ts-nocheck

// @relayRequestID f1d69c41f56a43149e88e9a75561c8583eaa0faf2200364ef0802bbb846f48be

import { ConcreteRequest } from 'relay-runtime';
export type PeriodKind = "HALF" | "MONTH" | "QUARTER" | "YEAR" | "%future added value";
export type dashboardIndicatorRollupQuery$variables = {
  id: string;
  indicators: ReadonlyArray<string>;
  period: string;
};
export type dashboardIndicatorRollupQuery$data = {
  readonly node: {
    readonly indicatorRollup?: {
      readonly basis: PeriodKind;
      readonly period: string;
      readonly rows: ReadonlyArray<{
        readonly committee: {
          readonly code: string;
          readonly id: string;
          readonly unitName: string;
        } | null | undefined;
        readonly values: ReadonlyArray<{
          readonly indicator: {
            readonly code: string;
          };
          readonly reports: number;
          readonly value: number | null | undefined;
        }>;
      }>;
      readonly total: ReadonlyArray<{
        readonly reports: number;
        readonly value: number | null | undefined;
      }>;
    };
  } | null | undefined;
};
export type dashboardIndicatorRollupQuery = {
  response: dashboardIndicatorRollupQuery$data;
  variables: dashboardIndicatorRollupQuery$variables;
};

const node: ConcreteRequest = (function(){
var v0 = {
  "defaultValue": null,
  "kind": "LocalArgument",
  "name": "id"
},
v1 = {
  "defaultValue": null,
  "kind": "LocalArgument",
  "name": "indicators"
},
v2 = {
  "defaultValue": null,
  "kind": "LocalArgument",
  "name": "period"
},
v3 = [
  {
    "kind": "Variable",
    "name": "id",
    "variableName": "id"
  }
],
v4 = {
  "alias": null,
  "args": null,
  "kind": "ScalarField",
  "name": "value",
  "storageKey": null
},
v5 = {
  "alias": null,
  "args": null,
  "kind": "ScalarField",
  "name": "reports",
  "storageKey": null
},
v6 = {
  "alias": null,
  "args": null,
  "kind": "ScalarField",
  "name": "id",
  "storageKey": null
},
v7 = {
  "alias": null,
  "args": null,
  "kind": "ScalarField",
  "name": "code",
  "storageKey": null
},
v8 = {
  "kind": "InlineFragment",
  "selections": [
    {
      "alias": null,
      "args": [
        {
          "kind": "Literal",
          "name": "groupBy",
          "value": "CHILD"
        },
        {
          "kind": "Variable",
          "name": "indicators",
          "variableName": "indicators"
        },
        {
          "kind": "Variable",
          "name": "period",
          "variableName": "period"
        }
      ],
      "concreteType": "IndicatorRollup",
      "kind": "LinkedField",
      "name": "indicatorRollup",
      "plural": false,
      "selections": [
        {
          "alias": null,
          "args": null,
          "kind": "ScalarField",
          "name": "period",
          "storageKey": null
        },
        {
          "alias": null,
          "args": null,
          "kind": "ScalarField",
          "name": "basis",
          "storageKey": null
        },
        {
          "alias": null,
          "args": null,
          "concreteType": "IndicatorValue",
          "kind": "LinkedField",
          "name": "total",
          "plural": true,
          "selections": [
            (v4/*: any*/),
            (v5/*: any*/)
          ],
          "storageKey": null
        },
        {
          "alias": null,
          "args": null,
          "concreteType": "RollupRow",
          "kind": "LinkedField",
          "name": "rows",
          "plural": true,
          "selections": [
            {
              "alias": null,
              "args": null,
              "concreteType": "Committee",
              "kind": "LinkedField",
              "name": "committee",
              "plural": false,
              "selections": [
                (v6/*: any*/),
                {
                  "alias": null,
                  "args": null,
                  "kind": "ScalarField",
                  "name": "unitName",
                  "storageKey": null
                },
                (v7/*: any*/)
              ],
              "storageKey": null
            },
            {
              "alias": null,
              "args": null,
              "concreteType": "IndicatorValue",
              "kind": "LinkedField",
              "name": "values",
              "plural": true,
              "selections": [
                {
                  "alias": null,
                  "args": null,
                  "concreteType": "Indicator",
                  "kind": "LinkedField",
                  "name": "indicator",
                  "plural": false,
                  "selections": [
                    (v7/*: any*/)
                  ],
                  "storageKey": null
                },
                (v4/*: any*/),
                (v5/*: any*/)
              ],
              "storageKey": null
            }
          ],
          "storageKey": null
        }
      ],
      "storageKey": null
    }
  ],
  "type": "Committee",
  "abstractKey": null
};
return {
  "fragment": {
    "argumentDefinitions": [
      (v0/*: any*/),
      (v1/*: any*/),
      (v2/*: any*/)
    ],
    "kind": "Fragment",
    "metadata": null,
    "name": "dashboardIndicatorRollupQuery",
    "selections": [
      {
        "alias": null,
        "args": (v3/*: any*/),
        "concreteType": null,
        "kind": "LinkedField",
        "name": "node",
        "plural": false,
        "selections": [
          (v8/*: any*/)
        ],
        "storageKey": null
      }
    ],
    "type": "Query",
    "abstractKey": null
  },
  "kind": "Request",
  "operation": {
    "argumentDefinitions": [
      (v0/*: any*/),
      (v2/*: any*/),
      (v1/*: any*/)
    ],
    "kind": "Operation",
    "name": "dashboardIndicatorRollupQuery",
    "selections": [
      {
        "alias": null,
        "args": (v3/*: any*/),
        "concreteType": null,
        "kind": "LinkedField",
        "name": "node",
        "plural": false,
        "selections": [
          {
            "alias": null,
            "args": null,
            "kind": "ScalarField",
            "name": "__typename",
            "storageKey": null
          },
          (v8/*: any*/),
          (v6/*: any*/)
        ],
        "storageKey": null
      }
    ]
  },
  "params": {
    "id": "f1d69c41f56a43149e88e9a75561c8583eaa0faf2200364ef0802bbb846f48be",
    "metadata": {},
    "name": "dashboardIndicatorRollupQuery",
    "operationKind": "query",
    "text": null
  }
};
})();

(node as any).hash = "5759b2bd8f2e18ee5b6c303e8e027087";

export default node;
