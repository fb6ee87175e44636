/**
 * @generated SignedSource<<30d584fbd1b9626cc8e954ff41bbf3d0>>
 * @relayHash 7d8ee960a9d7dca30935020811fb889f
 * @lightSyntaxTransform
 * @nogrep
 */

/* tslint:disable */
/* eslint-disable */
// @ts-nocheck

// @relayRequestID 9b578212852477ad87696c3d32b2e774fde6ede94d7cdcc410e4612fe01cf69d

import { ConcreteRequest } from 'relay-runtime';
export type CommitteeLevel = "CENTRAL" | "COMMUNE" | "DISTRICT" | "PROVINCE" | "%future added value";
export type PlanStatus = "CLOSED" | "DRAFT" | "ISSUED" | "%future added value";
export type dashboardSetupQuery$variables = {
  id: string;
};
export type dashboardSetupQuery$data = {
  readonly exportDefinitions: ReadonlyArray<{
    readonly code: string;
    readonly title: string;
  }>;
  readonly indicators: {
    readonly nodes: ReadonlyArray<{
      readonly code: string;
      readonly nameVi: string;
      readonly unit: string;
    }>;
  };
  readonly node: {
    readonly code?: string;
    readonly id?: string;
    readonly level?: CommitteeLevel;
    readonly name?: string;
    readonly parent?: {
      readonly id: string;
      readonly name: string;
    } | null | undefined;
    readonly plans?: {
      readonly nodes: ReadonlyArray<{
        readonly documentNumber: string | null | undefined;
        readonly id: string;
        readonly periodFrom: string;
        readonly periodTo: string;
        readonly status: PlanStatus;
        readonly title: string;
      }>;
    };
  } | null | undefined;
};
export type dashboardSetupQuery = {
  response: dashboardSetupQuery$data;
  variables: dashboardSetupQuery$variables;
};

const node: ConcreteRequest = (function(){
var v0 = [
  {
    "defaultValue": null,
    "kind": "LocalArgument",
    "name": "id"
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
  "kind": "ScalarField",
  "name": "id",
  "storageKey": null
},
v3 = {
  "alias": null,
  "args": null,
  "kind": "ScalarField",
  "name": "name",
  "storageKey": null
},
v4 = {
  "alias": null,
  "args": null,
  "kind": "ScalarField",
  "name": "level",
  "storageKey": null
},
v5 = {
  "alias": null,
  "args": null,
  "kind": "ScalarField",
  "name": "code",
  "storageKey": null
},
v6 = {
  "alias": null,
  "args": null,
  "concreteType": "Committee",
  "kind": "LinkedField",
  "name": "parent",
  "plural": false,
  "selections": [
    (v2/*: any*/),
    (v3/*: any*/)
  ],
  "storageKey": null
},
v7 = {
  "alias": null,
  "args": null,
  "kind": "ScalarField",
  "name": "title",
  "storageKey": null
},
v8 = {
  "alias": null,
  "args": [
    {
      "kind": "Literal",
      "name": "first",
      "value": 50
    }
  ],
  "concreteType": "PlanConnection",
  "kind": "LinkedField",
  "name": "plans",
  "plural": false,
  "selections": [
    {
      "alias": null,
      "args": null,
      "concreteType": "Plan",
      "kind": "LinkedField",
      "name": "nodes",
      "plural": true,
      "selections": [
        (v2/*: any*/),
        (v7/*: any*/),
        {
          "alias": null,
          "args": null,
          "kind": "ScalarField",
          "name": "documentNumber",
          "storageKey": null
        },
        {
          "alias": null,
          "args": null,
          "kind": "ScalarField",
          "name": "status",
          "storageKey": null
        },
        {
          "alias": null,
          "args": null,
          "kind": "ScalarField",
          "name": "periodFrom",
          "storageKey": null
        },
        {
          "alias": null,
          "args": null,
          "kind": "ScalarField",
          "name": "periodTo",
          "storageKey": null
        }
      ],
      "storageKey": null
    }
  ],
  "storageKey": "plans(first:50)"
},
v9 = {
  "alias": null,
  "args": [
    {
      "kind": "Literal",
      "name": "first",
      "value": 100
    }
  ],
  "concreteType": "IndicatorConnection",
  "kind": "LinkedField",
  "name": "indicators",
  "plural": false,
  "selections": [
    {
      "alias": null,
      "args": null,
      "concreteType": "Indicator",
      "kind": "LinkedField",
      "name": "nodes",
      "plural": true,
      "selections": [
        (v5/*: any*/),
        {
          "alias": null,
          "args": null,
          "kind": "ScalarField",
          "name": "nameVi",
          "storageKey": null
        },
        {
          "alias": null,
          "args": null,
          "kind": "ScalarField",
          "name": "unit",
          "storageKey": null
        }
      ],
      "storageKey": null
    }
  ],
  "storageKey": "indicators(first:100)"
},
v10 = {
  "alias": null,
  "args": null,
  "concreteType": "ExportDefinition",
  "kind": "LinkedField",
  "name": "exportDefinitions",
  "plural": true,
  "selections": [
    (v5/*: any*/),
    (v7/*: any*/)
  ],
  "storageKey": null
};
return {
  "fragment": {
    "argumentDefinitions": (v0/*: any*/),
    "kind": "Fragment",
    "metadata": null,
    "name": "dashboardSetupQuery",
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
            "kind": "InlineFragment",
            "selections": [
              (v2/*: any*/),
              (v3/*: any*/),
              (v4/*: any*/),
              (v5/*: any*/),
              (v6/*: any*/),
              (v8/*: any*/)
            ],
            "type": "Committee",
            "abstractKey": null
          }
        ],
        "storageKey": null
      },
      (v9/*: any*/),
      (v10/*: any*/)
    ],
    "type": "Query",
    "abstractKey": null
  },
  "kind": "Request",
  "operation": {
    "argumentDefinitions": (v0/*: any*/),
    "kind": "Operation",
    "name": "dashboardSetupQuery",
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
          (v2/*: any*/),
          {
            "kind": "InlineFragment",
            "selections": [
              (v3/*: any*/),
              (v4/*: any*/),
              (v5/*: any*/),
              (v6/*: any*/),
              (v8/*: any*/)
            ],
            "type": "Committee",
            "abstractKey": null
          }
        ],
        "storageKey": null
      },
      (v9/*: any*/),
      (v10/*: any*/)
    ]
  },
  "params": {
    "id": "9b578212852477ad87696c3d32b2e774fde6ede94d7cdcc410e4612fe01cf69d",
    "metadata": {},
    "name": "dashboardSetupQuery",
    "operationKind": "query",
    "text": null
  }
};
})();

(node as any).hash = "66da9d42d3605462a9278989127b94db";

export default node;
