"""What the character codes of the dingbat fonts are in Unicode: one string per font, holding
the character for each code from 0x20 to 0xFF (``"\0"`` where the font has none).

Generated data, not hand-written. Symbol, Wingdings, Wingdings 2, Wingdings 3 and Webdings are
the tables of dingbat-to-unicode 1.0.2 (npm; Copyright (c) 2021, Michael Williamson; BSD
2-Clause licence, whose notice, conditions and disclaimer are in that package's LICENSE file
and are kept with this data), drawn from Unicode's own mappings of these fonts; Symbol's Apple
logo (a private-use character) is left out. ZapfDingbats is Adobe's standard encoding of that
font, as reportlab's ``zapfdingbats`` codec decodes it.
"""

from __future__ import annotations

FIRST = 0x20

TABLES: dict[str, str] = {
    "symbol": (
        " !\u2200#\u2203%&\u220d"  # 0x20
        "()*+,\u2212./"  # 0x28
        "01234567"  # 0x30
        "89:;<=>?"  # 0x38
        "\u2245\u0391\u0392\u03a7\u0394\u0395\u03a6\u0393"  # 0x40
        "\u0397\u0399\u03d1\u039a\u039b\u039c\u039d\u039f"  # 0x48
        "\u03a0\u0398\u03a1\u03a3\u03a4\u03a5\u03c2\u03a9"  # 0x50
        "\u039e\u03a8\u0396[\u2234]\u22a5_"  # 0x58
        "\u203e\u03b1\u03b2\u03c7\u03b4\u03b5\u03c6\u03b3"  # 0x60
        "\u03b7\u03b9\u03d5\u03ba\u03bb\u03bc\u03bd\u03bf"  # 0x68
        "\u03c0\u03b8\u03c1\u03c3\u03c4\u03c5\u03d6\u03c9"  # 0x70
        "\u03be\u03c8\u03b6{|}~\0"  # 0x78
        "\0\0\0\0\0\0\0\0"  # 0x80
        "\0\0\0\0\0\0\0\0"  # 0x88
        "\0\0\0\0\0\0\0\0"  # 0x90
        "\0\0\0\0\0\0\0\0"  # 0x98
        "\u20ac\u03d2\u2032\u2264\u2044\u221e\u0192\u2663"  # 0xA0
        "\u2666\u2665\u2660\u2194\u2190\u2191\u2192\u2193"  # 0xA8
        "\u00b0\u00b1\u2033\u2265\u00d7\u221d\u2202\u2022"  # 0xB0
        "\u00f7\u2260\u2261\u2248\u2026\u23d0\u23af\u21b5"  # 0xB8
        "\u2135\u2111\u211c\u2118\u2297\u2295\u2205\u2229"  # 0xC0
        "\u222a\u2283\u2287\u2284\u2282\u2286\u2208\u2209"  # 0xC8
        "\u2220\u2207\u00ae\u00a9\u2122\u220f\u221a\u22c5"  # 0xD0
        "\u00ac\u2227\u2228\u21d4\u21d0\u21d1\u21d2\u21d3"  # 0xD8
        "\u25ca\u3008\u00ae\u00a9\u2122\u2211\u239b\u239c"  # 0xE0
        "\u239d\u23a1\u23a2\u23a3\u23a7\u23a8\u23a9\u23aa"  # 0xE8
        "\0\u3009\u222b\u2320\u23ae\u2321\u239e\u239f"  # 0xF0
        "\u23a0\u23a4\u23a5\u23a6\u23ab\u23ac\u23ad\0"  # 0xF8
    ),
    "wingdings": (
        " \U0001f589\u2702\u2701\U0001f453\U0001f56d\U0001f56e\U0001f56f"  # 0x20
        "\U0001f57f\u2706\U0001f582\U0001f583\U0001f4ea\U0001f4eb\U0001f4ec\U0001f4ed"  # 0x28
        "\U0001f5c0\U0001f5c1\U0001f5ce\U0001f5cf\U0001f5d0\U0001f5c4\u231b\U0001f5ae"  # 0x30
        "\U0001f5b0\U0001f5b2\U0001f5b3\U0001f5b4\U0001f5ab\U0001f5ac\u2707\u270d"  # 0x38
        "\U0001f58e\u270c\U0001f58f\U0001f44d\U0001f44e\u261c\u261e\u261d"  # 0x40
        "\u261f\U0001f590\u263a\U0001f610\u2639\U0001f4a3\U0001f571\U0001f3f3"  # 0x48
        "\U0001f3f1\u2708\u263c\U0001f322\u2744\U0001f546\u271e\U0001f548"  # 0x50
        "\u2720\u2721\u262a\u262f\U0001f549\u2638\u2648\u2649"  # 0x58
        "\u264a\u264b\u264c\u264d\u264e\u264f\u2650\u2651"  # 0x60
        "\u2652\u2653\U0001f670\U0001f675\u26ab\U0001f53e\u25fc\U0001f78f"  # 0x68
        "\U0001f790\u2751\u2752\U0001f79f\u29eb\u25c6\u2756\u2b29"  # 0x70
        "\u2327\u2bb9\u2318\U0001f3f5\U0001f3f6\U0001f676\U0001f677\u25af"  # 0x78
        "\U0001f10b\u2780\u2781\u2782\u2783\u2784\u2785\u2786"  # 0x80
        "\u2787\u2788\u2789\U0001f10c\u278a\u278b\u278c\u278d"  # 0x88
        "\u278e\u278f\u2790\u2791\u2792\u2793\U0001f662\U0001f660"  # 0x90
        "\U0001f661\U0001f663\U0001f65e\U0001f65c\U0001f65d\U0001f65f\u2219\u2022"  # 0x98
        "\u2b1d\u2b58\U0001f786\U0001f788\U0001f78a\U0001f78b\U0001f53f\u25aa"  # 0xA0
        "\U0001f78e\U0001f7c1\U0001f7c5\u2605\U0001f7cb\U0001f7cf\U0001f7d3\U0001f7d1"  # 0xA8
        "\u2bd0\u2316\u2bce\u2bcf\u2bd1\u272a\u2730\U0001f550"  # 0xB0
        "\U0001f551\U0001f552\U0001f553\U0001f554\U0001f555\U0001f556\U0001f557\U0001f558"  # 0xB8
        "\U0001f559\U0001f55a\U0001f55b\u2bb0\u2bb1\u2bb2\u2bb3\u2bb4"  # 0xC0
        "\u2bb5\u2bb6\u2bb7\U0001f66a\U0001f66b\U0001f655\U0001f654\U0001f657"  # 0xC8
        "\U0001f656\U0001f650\U0001f651\U0001f652\U0001f653\u232b\u2326\u2b98"  # 0xD0
        "\u2b9a\u2b99\u2b9b\u2b88\u2b8a\u2b89\u2b8b\U0001f868"  # 0xD8
        "\U0001f86a\U0001f869\U0001f86b\U0001f86c\U0001f86d\U0001f86f\U0001f86e\U0001f878"  # 0xE0
        "\U0001f87a\U0001f879\U0001f87b\U0001f87c\U0001f87d\U0001f87f\U0001f87e\u21e6"  # 0xE8
        "\u21e8\u21e7\u21e9\u2b04\u21f3\u2b01\u2b00\u2b03"  # 0xF0
        "\u2b02\U0001f8ac\U0001f8ad\U0001f5f6\u2713\U0001f5f7\U0001f5f9\0"  # 0xF8
    ),
    "wingdings 2": (
        " \U0001f58a\U0001f58b\U0001f58c\U0001f58d\u2704\u2700\U0001f57e"  # 0x20
        "\U0001f57d\U0001f5c5\U0001f5c6\U0001f5c7\U0001f5c8\U0001f5c9\U0001f5ca\U0001f5cb"  # 0x28
        "\U0001f5cc\U0001f5cd\U0001f4cb\U0001f5d1\U0001f5d4\U0001f5b5\U0001f5b6\U0001f5b7"  # 0x30
        "\U0001f5b8\U0001f5ad\U0001f5af\U0001f5b1\U0001f592\U0001f593\U0001f598\U0001f599"  # 0x38
        "\U0001f59a\U0001f59b\U0001f448\U0001f449\U0001f59c\U0001f59d\U0001f59e\U0001f59f"  # 0x40
        "\U0001f5a0\U0001f5a1\U0001f446\U0001f447\U0001f5a2\U0001f5a3\U0001f591\U0001f5f4"  # 0x48
        "\U0001f5f8\U0001f5f5\u2611\u2bbd\u2612\u2bbe\u2bbf\U0001f6c7"  # 0x50
        "\u29b8\U0001f671\U0001f674\U0001f672\U0001f673\u203d\U0001f679\U0001f67a"  # 0x58
        "\U0001f67b\U0001f666\U0001f664\U0001f665\U0001f667\U0001f65a\U0001f658\U0001f659"  # 0x60
        "\U0001f65b\u24ea\u2460\u2461\u2462\u2463\u2464\u2465"  # 0x68
        "\u2466\u2467\u2468\u2469\u24ff\u2776\u2777\u2778"  # 0x70
        "\u2779\u277a\u277b\u277c\u277d\u277e\u277f\0"  # 0x78
        "\u2609\U0001f315\u263d\u263e\u2e3f\u271d\U0001f547\U0001f55c"  # 0x80
        "\U0001f55d\U0001f55e\U0001f55f\U0001f560\U0001f561\U0001f562\U0001f563\U0001f564"  # 0x88
        "\U0001f565\U0001f566\U0001f567\U0001f668\U0001f669\u22c5\U0001f784\u2981"  # 0x90
        "\u25cf\u25cb\U0001f785\U0001f787\U0001f789\u2299\u29bf\U0001f78c"  # 0x98
        "\U0001f78d\u25fe\u25a0\u25a1\U0001f791\U0001f792\U0001f793\U0001f794"  # 0xA0
        "\u25a3\U0001f795\U0001f796\U0001f797\U0001f798\u2b29\u2b25\u25c7"  # 0xA8
        "\U0001f79a\u25c8\U0001f79b\U0001f79c\U0001f79d\U0001f79e\u2b2a\u2b27"  # 0xB0
        "\u25ca\U0001f7a0\u25d6\u25d7\u2bca\u2bcb\u2bc0\u2bc1"  # 0xB8
        "\u2b1f\u2bc2\u2b23\u2b22\u2bc3\u2bc4\U0001f7a1\U0001f7a2"  # 0xC0
        "\U0001f7a3\U0001f7a4\U0001f7a5\U0001f7a6\U0001f7a7\U0001f7a8\U0001f7a9\U0001f7aa"  # 0xC8
        "\U0001f7ab\U0001f7ac\U0001f7ad\U0001f7ae\U0001f7af\U0001f7b0\U0001f7b1\U0001f7b2"  # 0xD0
        "\U0001f7b3\U0001f7b4\U0001f7b5\U0001f7b6\U0001f7b7\U0001f7b8\U0001f7b9\U0001f7ba"  # 0xD8
        "\U0001f7bb\U0001f7bc\U0001f7bd\U0001f7be\U0001f7bf\U0001f7c0\U0001f7c2\U0001f7c4"  # 0xE0
        "\U0001f7c6\U0001f7c9\U0001f7ca\u2736\U0001f7cc\U0001f7ce\U0001f7d0\U0001f7d2"  # 0xE8
        "\u2739\U0001f7c3\U0001f7c7\u272f\U0001f7cd\U0001f7d4\u2bcc\u2bcd"  # 0xF0
        "\u203b\u2042\0\0\0\0\0\0"  # 0xF8
    ),
    "wingdings 3": (
        " \u2b60\u2b62\u2b61\u2b63\u2b66\u2b67\u2b69"  # 0x20
        "\u2b68\u2b70\u2b72\u2b71\u2b73\u2b76\u2b78\u2b7b"  # 0x28
        "\u2b7d\u2b64\u2b65\u2b6a\u2b6c\u2b6b\u2b6d\u2b4d"  # 0x30
        "\u2ba0\u2ba1\u2ba2\u2ba3\u2ba4\u2ba5\u2ba6\u2ba7"  # 0x38
        "\u2b90\u2b91\u2b92\u2b93\u2b80\u2b83\u2b7e\u2b7f"  # 0x40
        "\u2b84\u2b86\u2b85\u2b87\u2b8f\u2b8d\u2b8e\u2b8c"  # 0x48
        "\u2b6e\u2b6f\u238b\u2324\u2303\u2325\u2423\u237d"  # 0x50
        "\u21ea\u2bb8\U0001f8a0\U0001f8a1\U0001f8a2\U0001f8a3\U0001f8a4\U0001f8a5"  # 0x58
        "\U0001f8a6\U0001f8a7\U0001f8a8\U0001f8a9\U0001f8aa\U0001f8ab\U0001f850\U0001f852"  # 0x60
        "\U0001f851\U0001f853\U0001f854\U0001f855\U0001f857\U0001f856\U0001f858\U0001f859"  # 0x68
        "\u25b2\u25bc\u25b3\u25bd\u25c0\u25b6\u25c1\u25b7"  # 0x70
        "\u25e3\u25e2\u25e4\u25e5\U0001f780\U0001f782\U0001f781\0"  # 0x78
        "\U0001f783\u2bc5\u2bc6\u2bc7\u2bc8\u2b9c\u2b9e\u2b9d"  # 0x80
        "\u2b9f\U0001f810\U0001f812\U0001f811\U0001f813\U0001f814\U0001f816\U0001f815"  # 0x88
        "\U0001f817\U0001f818\U0001f81a\U0001f819\U0001f81b\U0001f81c\U0001f81e\U0001f81d"  # 0x90
        "\U0001f81f\U0001f800\U0001f802\U0001f801\U0001f803\U0001f804\U0001f806\U0001f805"  # 0x98
        "\U0001f807\U0001f808\U0001f80a\U0001f809\U0001f80b\U0001f820\U0001f822\U0001f824"  # 0xA0
        "\U0001f826\U0001f828\U0001f82a\U0001f82c\U0001f89c\U0001f89d\U0001f89e\U0001f89f"  # 0xA8
        "\U0001f82e\U0001f830\U0001f832\U0001f834\U0001f836\U0001f838\U0001f83a\U0001f839"  # 0xB0
        "\U0001f83b\U0001f898\U0001f89a\U0001f899\U0001f89b\U0001f83c\U0001f83e\U0001f83d"  # 0xB8
        "\U0001f83f\U0001f840\U0001f842\U0001f841\U0001f843\U0001f844\U0001f846\U0001f845"  # 0xC0
        "\U0001f847\u2ba8\u2ba9\u2baa\u2bab\u2bac\u2bad\u2bae"  # 0xC8
        "\u2baf\U0001f860\U0001f862\U0001f861\U0001f863\U0001f864\U0001f865\U0001f867"  # 0xD0
        "\U0001f866\U0001f870\U0001f872\U0001f871\U0001f873\U0001f874\U0001f875\U0001f877"  # 0xD8
        "\U0001f876\U0001f880\U0001f882\U0001f881\U0001f883\U0001f884\U0001f885\U0001f887"  # 0xE0
        "\U0001f886\U0001f890\U0001f892\U0001f891\U0001f893\U0001f894\U0001f896\U0001f895"  # 0xE8
        "\U0001f897\0\0\0\0\0\0\0"  # 0xF0
        "\0\0\0\0\0\0\0\0"  # 0xF8
    ),
    "webdings": (
        " \U0001f577\U0001f578\U0001f572\U0001f576\U0001f3c6\U0001f396\U0001f587"  # 0x20
        "\U0001f5e8\U0001f5e9\U0001f5f0\U0001f5f1\U0001f336\U0001f397\U0001f67e\U0001f67c"  # 0x28
        "\U0001f5d5\U0001f5d6\U0001f5d7\u23f4\u23f5\u23f6\u23f7\u23ea"  # 0x30
        "\u23e9\u23ee\u23ed\u23f8\u23f9\u23fa\U0001f5da\U0001f5f3"  # 0x38
        "\U0001f6e0\U0001f3d7\U0001f3d8\U0001f3d9\U0001f3da\U0001f3dc\U0001f3ed\U0001f3db"  # 0x40
        "\U0001f3e0\U0001f3d6\U0001f3dd\U0001f6e3\U0001f50d\U0001f3d4\U0001f441\U0001f442"  # 0x48
        "\U0001f3de\U0001f3d5\U0001f6e4\U0001f3df\U0001f6f3\U0001f56c\U0001f56b\U0001f568"  # 0x50
        "\U0001f508\U0001f394\U0001f395\U0001f5ec\U0001f67d\U0001f5ed\U0001f5ea\U0001f5eb"  # 0x58
        "\u2b94\u2714\U0001f6b2\u2b1c\U0001f6e1\U0001f4e6\U0001f6f1\u2b1b"  # 0x60
        "\U0001f691\U0001f6c8\U0001f6e9\U0001f6f0\U0001f7c8\U0001f574\u2b24\U0001f6e5"  # 0x68
        "\U0001f694\U0001f5d8\U0001f5d9\u2753\U0001f6f2\U0001f687\U0001f68d\u26f3"  # 0x70
        "\u29b8\u2296\U0001f6ad\U0001f5ee\u23d0\U0001f5ef\U0001f5f2\0"  # 0x78
        "\U0001f6b9\U0001f6ba\U0001f6c9\U0001f6ca\U0001f6bc\U0001f47d\U0001f3cb\u26f7"  # 0x80
        "\U0001f3c2\U0001f3cc\U0001f3ca\U0001f3c4\U0001f3cd\U0001f3ce\U0001f698\U0001f5e0"  # 0x88
        "\U0001f6e2\U0001f4b0\U0001f3f7\U0001f4b3\U0001f46a\U0001f5e1\U0001f5e2\U0001f5e3"  # 0x90
        "\u272f\U0001f584\U0001f585\U0001f583\U0001f586\U0001f5b9\U0001f5ba\U0001f5bb"  # 0x98
        "\U0001f575\U0001f570\U0001f5bd\U0001f5be\U0001f4cb\U0001f5d2\U0001f5d3\U0001f56e"  # 0xA0
        "\U0001f4da\U0001f5de\U0001f5df\U0001f5c3\U0001f5c2\U0001f5bc\U0001f3ad\U0001f39c"  # 0xA8
        "\U0001f398\U0001f399\U0001f3a7\U0001f4bf\U0001f39e\U0001f4f7\U0001f39f\U0001f3ac"  # 0xB0
        "\U0001f4fd\U0001f4f9\U0001f4fe\U0001f4fb\U0001f39a\U0001f39b\U0001f4fa\U0001f4bb"  # 0xB8
        "\U0001f5a5\U0001f5a6\U0001f5a7\U0001f579\U0001f3ae\U0001f57b\U0001f57c\U0001f4df"  # 0xC0
        "\U0001f581\U0001f580\U0001f5a8\U0001f5a9\U0001f5bf\U0001f5aa\U0001f5dc\U0001f512"  # 0xC8
        "\U0001f513\U0001f5dd\U0001f4e5\U0001f4e4\U0001f573\U0001f323\U0001f324\U0001f325"  # 0xD0
        "\U0001f326\u2601\U0001f328\U0001f327\U0001f329\U0001f32a\U0001f32c\U0001f32b"  # 0xD8
        "\U0001f31c\U0001f321\U0001f6cb\U0001f6cf\U0001f37d\U0001f378\U0001f6ce\U0001f6cd"  # 0xE0
        "\u24c5\u267f\U0001f6c6\U0001f588\U0001f393\U0001f5e4\U0001f5e5\U0001f5e6"  # 0xE8
        "\U0001f5e7\U0001f6ea\U0001f43f\U0001f426\U0001f41f\U0001f415\U0001f408\U0001f66c"  # 0xF0
        "\U0001f66e\U0001f66d\U0001f66f\U0001f5fa\U0001f30d\U0001f30f\U0001f30e\U0001f54a"  # 0xF8
    ),
    "zapfdingbats": (
        " \u2701\u2702\u2703\u2704\u260e\u2706\u2707"  # 0x20
        "\u2708\u2709\u261b\u261e\u270c\u270d\u270e\u270f"  # 0x28
        "\u2710\u2711\u2712\u2713\u2714\u2715\u2716\u2717"  # 0x30
        "\u2718\u2719\u271a\u271b\u271c\u271d\u271e\u271f"  # 0x38
        "\u2720\u2721\u2722\u2723\u2724\u2725\u2726\u2727"  # 0x40
        "\u2605\u2729\u272a\u272b\u272c\u272d\u272e\u272f"  # 0x48
        "\u2730\u2731\u2732\u2733\u2734\u2735\u2736\u2737"  # 0x50
        "\u2738\u2739\u273a\u273b\u273c\u273d\u273e\u273f"  # 0x58
        "\u2740\u2741\u2742\u2743\u2744\u2745\u2746\u2747"  # 0x60
        "\u2748\u2749\u274a\u274b\u25cf\u274d\u25a0\u274f"  # 0x68
        "\u2750\u2751\u2752\u25b2\u25bc\u25c6\u2756\u25d7"  # 0x70
        "\u2758\u2759\u275a\u275b\u275c\u275d\u275e\0"  # 0x78
        "\u2768\u2769\u276a\u276b\u276c\u276d\u276e\u276f"  # 0x80
        "\u2770\u2771\u2772\u2773\u2774\u2775\0\0"  # 0x88
        "\0\0\0\0\0\0\0\0"  # 0x90
        "\0\0\0\0\0\0\0\0"  # 0x98
        "\0\u2761\u2762\u2763\u2764\u2765\u2766\u2767"  # 0xA0
        "\u2663\u2666\u2665\u2660\u2460\u2461\u2462\u2463"  # 0xA8
        "\u2464\u2465\u2466\u2467\u2468\u2469\u2776\u2777"  # 0xB0
        "\u2778\u2779\u277a\u277b\u277c\u277d\u277e\u277f"  # 0xB8
        "\u2780\u2781\u2782\u2783\u2784\u2785\u2786\u2787"  # 0xC0
        "\u2788\u2789\u278a\u278b\u278c\u278d\u278e\u278f"  # 0xC8
        "\u2790\u2791\u2792\u2793\u2794\u2192\u2194\u2195"  # 0xD0
        "\u2798\u2799\u279a\u279b\u279c\u279d\u279e\u279f"  # 0xD8
        "\u27a0\u27a1\u27a2\u27a3\u27a4\u27a5\u27a6\u27a7"  # 0xE0
        "\u27a8\u27a9\u27aa\u27ab\u27ac\u27ad\u27ae\u27af"  # 0xE8
        "\0\u27b1\u27b2\u27b3\u27b4\u27b5\u27b6\u27b7"  # 0xF0
        "\u27b8\u27b9\u27ba\u27bb\u27bc\u27bd\u27be\0"  # 0xF8
    ),
}
