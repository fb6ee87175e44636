/**
 * @generated SignedSource<<49594ea725060dd62c9308495c63da9d>>
 * @relayHash e1a4133f6e0d03775b67d8c5a0128bb8
 * @lightSyntaxTransform
 * @nogrep
 */

/* tslint:disable */
/* eslint-disable */
// @ts-nocheck

// @relayRequestID 74a60633d92cee638f01c1ef935c446dfe998ae2122b4b8f2672a0c3f060686f

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
    readonly predecessors?: ReadonlyArray<{
      readonly committee: {
        readonly id: string;
        readonly name: string;
        readonly validTo: string | null | undefined;
      };
      readonly effectiveOn: string;
      readonly partial: boolean;
    }>;
    readonly successors?: ReadonlyArray<{
      readonly committee: {
        readonly id: string;
        readonly name: string;
      };
      readonly effectiveOn: string;
    }>;
    readonly validFrom?: string | null | undefined;
    readonly validTo?: string | null | undefined;
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
  "kind": "ScalarField",
  "name": "validFrom",
  "storageKey": null
},
v7 = {
  "alias": null,
  "args": null,
  "kind": "ScalarField",
  "name": "validTo",
  "storageKey": null
},
v8 = [
  (v2/*: any*/),
  (v3/*: any*/)
],
v9 = {
  "alias": null,
  "args": null,
  "concreteType": "Committee",
  "kind": "LinkedField",
  "name": "parent",
  "plural": false,
  "selections": (v8/*: any*/),
  "storageKey": null
},
v10 = {
  "alias": null,
  "args": null,
  "kind": "ScalarField",
  "name": "effectiveOn",
  "storageKey": null
},
v11 = {
  "alias": null,
  "args": null,
  "concreteType": "CommitteeSuccession",
  "kind": "LinkedField",
  "name": "predecessors",
  "plural": true,
  "selections": [
    (v10/*: any*/),
    {
      "alias": null,
      "args": null,
      "kind": "ScalarField",
      "name": "partial",
      "storageKey": null
    },
    {
      "alias": null,
      "args": null,
      "concreteType": "Committee",
      "kind": "LinkedField",
      "name": "committee",
      "plural": false,
      "selections": [
        (v2/*: any*/),
        (v3/*: any*/),
        (v7/*: any*/)
      ],
      "storageKey": null
    }
  ],
  "storageKey": null
},
v12 = {
  "alias": null,
  "args": null,
  "concreteType": "CommitteeSuccession",
  "kind": "LinkedField",
  "name": "successors",
  "plural": true,
  "selections": [
    (v10/*: any*/),
    {
      "alias": null,
      "args": null,
      "concreteType": "Committee",
      "kind": "LinkedField",
      "name": "committee",
      "plural": false,
      "selections": (v8/*: any*/),
      "storageKey": null
    }
  ],
  "storageKey": null
},
v13 = {
  "alias": null,
  "args": null,
  "kind": "ScalarField",
  "name": "title",
  "storageKey": null
},
v14 = {
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
        (v13/*: any*/),
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
v15 = {
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
v16 = {
  "alias": null,
  "args": null,
  "concreteType": "ExportDefinition",
  "kind": "LinkedField",
  "name": "exportDefinitions",
  "plural": true,
  "selections": [
    (v5/*: any*/),
    (v13/*: any*/)
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
              (v7/*: any*/),
              (v9/*: any*/),
              (v11/*: any*/),
              (v12/*: any*/),
              (v14/*: any*/)
            ],
            "type": "Committee",
            "abstractKey": null
          }
        ],
        "storageKey": null
      },
      (v15/*: any*/),
      (v16/*: any*/)
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
              (v7/*: any*/),
              (v9/*: any*/),
              (v11/*: any*/),
              (v12/*: any*/),
              (v14/*: any*/)
            ],
            "type": "Committee",
            "abstractKey": null
          }
        ],
        "storageKey": null
      },
      (v15/*: any*/),
      (v16/*: any*/)
    ]
  },
  "params": {
    "id": "74a60633d92cee638f01c1ef935c446dfe998ae2122b4b8f2672a0c3f060686f",
    "metadata": {},
    "name": "dashboardSetupQuery",
    "operationKind": "query",
    "text": null
  }
};
})();

(node as any).hash = "565332fa11e3ec78f253b9d367a9b460";

export default node;
