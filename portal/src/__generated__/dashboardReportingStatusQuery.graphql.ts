/**
 * @generated SignedSource<<b18f4a6dc6d03c82c1550a484020e417>>
 * @relayHash c62c7a1ddb6141dbb6b5e8be150445b3
 * @lightSyntaxTransform
 * @nogrep
 */

/* tslint:disable */
/* eslint-disable */
// @ts-nocheck

// @relayRequestID e779f7ae9622c1401eda4ab30f1ba8c5ae3a95bf280630a58bee5341af62fdf4

import { ConcreteRequest } from 'relay-runtime';
export type dashboardReportingStatusQuery$variables = {
  id: string;
  period: string;
};
export type dashboardReportingStatusQuery$data = {
  readonly node: {
    readonly reportingStatus?: {
      readonly children: ReadonlyArray<{
        readonly committee: {
          readonly code: string;
          readonly id: string;
          readonly name: string;
        };
        readonly total: {
          readonly awaitingReview: number;
          readonly expected: number;
          readonly late: number;
          readonly missing: number;
          readonly onTime: number;
          readonly pending: number;
        };
      }>;
      readonly period: string;
      readonly total: {
        readonly awaitingReview: number;
        readonly expected: number;
        readonly late: number;
        readonly missing: number;
        readonly onTime: number;
        readonly pending: number;
      };
    };
  } | null | undefined;
};
export type dashboardReportingStatusQuery = {
  response: dashboardReportingStatusQuery$data;
  variables: dashboardReportingStatusQuery$variables;
};

const node: ConcreteRequest = (function(){
var v0 = [
  {
    "defaultValue": null,
    "kind": "LocalArgument",
    "name": "id"
  },
  {
    "defaultValue": null,
    "kind": "LocalArgument",
    "name": "period"
  }
],
v1 = [
  {
    "kind": "Variable",
    "name": "id",
    "variableName": "id"
  }
],
v2 = {
  "alias": null,
  "args": null,
  "concreteType": "ReportingCounts",
  "kind": "LinkedField",
  "name": "total",
  "plural": false,
  "selections": [
    {
      "alias": null,
      "args": null,
      "kind": "ScalarField",
      "name": "expected",
      "storageKey": null
    },
    {
      "alias": null,
      "args": null,
      "kind": "ScalarField",
      "name": "onTime",
      "storageKey": null
    },
    {
      "alias": null,
      "args": null,
      "kind": "ScalarField",
      "name": "late",
      "storageKey": null
    },
    {
      "alias": null,
      "args": null,
      "kind": "ScalarField",
      "name": "missing",
      "storageKey": null
    },
    {
      "alias": null,
      "args": null,
      "kind": "ScalarField",
      "name": "pending",
      "storageKey": null
    },
    {
      "alias": null,
      "args": null,
      "kind": "ScalarField",
      "name": "awaitingReview",
      "storageKey": null
    }
  ],
  "storageKey": null
},
v3 = {
  "alias": null,
  "args": null,
  "kind": "ScalarField",
  "name": "id",
  "storageKey": null
},
v4 = {
  "kind": "InlineFragment",
  "selections": [
    {
      "alias": null,
      "args": [
        {
          "kind": "Variable",
          "name": "period",
          "variableName": "period"
        }
      ],
      "concreteType": "ReportingStatus",
      "kind": "LinkedField",
      "name": "reportingStatus",
      "plural": false,
      "selections": [
        {
          "alias": null,
          "args": null,
          "kind": "ScalarField",
          "name": "period",
          "storageKey": null
        },
        (v2/*: any*/),
        {
          "alias": null,
          "args": null,
          "concreteType": "ReportingStatus",
          "kind": "LinkedField",
          "name": "children",
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
                (v3/*: any*/),
                {
                  "alias": null,
                  "args": null,
                  "kind": "ScalarField",
                  "name": "name",
                  "storageKey": null
                },
                {
                  "alias": null,
                  "args": null,
                  "kind": "ScalarField",
                  "name": "code",
                  "storageKey": null
                }
              ],
              "storageKey": null
            },
            (v2/*: any*/)
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
    "argumentDefinitions": (v0/*: any*/),
    "kind": "Fragment",
    "metadata": null,
    "name": "dashboardReportingStatusQuery",
    "selections": [
      {
        "alias": null,
        "args": (v1/*: any*/),
        "concreteType": null,
        "kind": "LinkedField",
        "name": "node",
        "plural": false,
        "selections": [
          (v4/*: any*/)
        ],
        "storageKey": null
      }
    ],
    "type": "Query",
    "abstractKey": null
  },
  "kind": "Request",
  "operation": {
    "argumentDefinitions": (v0/*: any*/),
    "kind": "Operation",
    "name": "dashboardReportingStatusQuery",
    "selections": [
      {
        "alias": null,
        "args": (v1/*: any*/),
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
          (v4/*: any*/),
          (v3/*: any*/)
        ],
        "storageKey": null
      }
    ]
  },
  "params": {
    "id": "e779f7ae9622c1401eda4ab30f1ba8c5ae3a95bf280630a58bee5341af62fdf4",
    "metadata": {},
    "name": "dashboardReportingStatusQuery",
    "operationKind": "query",
    "text": null
  }
};
})();

(node as any).hash = "796452721a8fb925139476c780ed1dbe";

export default node;
